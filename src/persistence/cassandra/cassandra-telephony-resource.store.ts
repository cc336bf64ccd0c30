import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import type { Dn, Place } from '../../places/telephony-resources';
import { TelephonyResourceStore } from '../../places/telephony-resource.store';
import { CassandraConnection } from './cassandra-connection';

const DN_COLUMNS = 'dn, ccid, switch_name, created_at';
const PLACE_COLUMNS = 'ccid, name, dns, agents, created_at, updated_at';
const IN_CHUNK = 100;

/**
 * TelephonyResourceStore on Cassandra. `telephony_dns` is the truth: a DN number is claimed once node-wide
 * with a lightweight transaction. The per-contact-center list row is written first and every listed number
 * is re-checked against the truth, so a crash between the two writes leaves at worst an ignored list row.
 * Places live in one partition per contact center.
 */
@Injectable()
export class CassandraTelephonyResourceStore extends TelephonyResourceStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async createDn(dn: Dn): Promise<Dn> {
    await this.cql.execute('INSERT INTO telephony_dns_by_cc (ccid, dn) VALUES (?, ?)', [dn.ccid, dn.dn], { idempotent: true });
    const result = await this.cql.execute(`INSERT INTO telephony_dns (${DN_COLUMNS}) VALUES (?, ?, ?, ?) IF NOT EXISTS`, [dn.dn, dn.ccid, dn.switch, new Date(dn.createdAt)], {
      idempotent: false,
    });
    if (result.wasApplied()) return { ...dn };
    const existing = toDn(result.first());
    if (existing.ccid !== dn.ccid) {
      await this.cql.execute('DELETE FROM telephony_dns_by_cc WHERE ccid = ? AND dn = ?', [dn.ccid, dn.dn], { idempotent: true });
    }
    return existing;
  }

  async getDn(dn: string): Promise<Dn | undefined> {
    const row = (await this.cql.execute(`SELECT ${DN_COLUMNS} FROM telephony_dns WHERE dn = ?`, [dn], { idempotent: true })).first();
    return row ? toDn(row) : undefined;
  }

  async listDns(ccid: string): Promise<Dn[]> {
    const numbers: string[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT dn FROM telephony_dns_by_cc WHERE ccid = ?', [ccid], { idempotent: true, fetchSize: 1000, pageState });
      numbers.push(...page.rows.map((r) => r.dn as string));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    const out: Dn[] = [];
    for (let i = 0; i < numbers.length; i += IN_CHUNK) {
      const rows = await this.cql.execute(`SELECT ${DN_COLUMNS} FROM telephony_dns WHERE dn IN ?`, [numbers.slice(i, i + IN_CHUNK)], { idempotent: true });
      out.push(...rows.rows.map(toDn).filter((d) => d.ccid === ccid));
    }
    return out.sort((a, b) => a.dn.localeCompare(b.dn));
  }

  async deleteDn(ccid: string, dn: string): Promise<boolean> {
    const result = await this.cql.execute('DELETE FROM telephony_dns WHERE dn = ? IF ccid = ?', [dn, ccid], { idempotent: false });
    if (!result.wasApplied()) return false;
    await this.cql.execute('DELETE FROM telephony_dns_by_cc WHERE ccid = ? AND dn = ?', [ccid, dn], { idempotent: true });
    return true;
  }

  async createPlace(place: Place): Promise<boolean> {
    const result = await this.cql.execute(`INSERT INTO places (${PLACE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS`, placeParams(place), { idempotent: false });
    return result.wasApplied();
  }

  async getPlace(ccid: string, name: string): Promise<Place | undefined> {
    const row = (await this.cql.execute(`SELECT ${PLACE_COLUMNS} FROM places WHERE ccid = ? AND name = ?`, [ccid, name], { idempotent: true })).first();
    return row ? toPlace(row) : undefined;
  }

  async listPlaces(ccid: string): Promise<Place[]> {
    const out: Place[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute(`SELECT ${PLACE_COLUMNS} FROM places WHERE ccid = ?`, [ccid], { idempotent: true, fetchSize: 1000, pageState });
      out.push(...page.rows.map(toPlace));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async updatePlace(place: Place): Promise<boolean> {
    const result = await this.cql.execute(
      'UPDATE places SET dns = ?, agents = ?, created_at = ?, updated_at = ? WHERE ccid = ? AND name = ? IF EXISTS',
      [place.dns, place.agents, new Date(place.createdAt), new Date(place.updatedAt), place.ccid, place.name],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async deletePlace(ccid: string, name: string): Promise<boolean> {
    const result = await this.cql.execute('DELETE FROM places WHERE ccid = ? AND name = ? IF EXISTS', [ccid, name], { idempotent: false });
    return result.wasApplied();
  }
}

function placeParams(place: Place): unknown[] {
  return [place.ccid, place.name, place.dns, place.agents, new Date(place.createdAt), new Date(place.updatedAt)];
}

function toDn(row: types.Row): Dn {
  return { dn: row.dn as string, ccid: String(row.ccid), switch: row.switch_name as string, createdAt: (row.created_at as Date).toISOString() };
}

function toPlace(row: types.Row): Place {
  return {
    ccid: String(row.ccid),
    name: row.name as string,
    dns: [...((row.dns as string[] | null) ?? [])],
    agents: [...((row.agents as string[] | null) ?? [])],
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}
