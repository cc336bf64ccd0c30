import { Injectable } from '@nestjs/common';
import type { Dn, Place } from '../../places/telephony-resources';
import { TelephonyResourceStore } from '../../places/telephony-resource.store';
import { EmbeddedDatabase } from './embedded-database';

const DNS = 'telephony_dns';
const PLACES = 'places';

/** TelephonyResourceStore on the embedded database: DNs keyed by number (unique node-wide), places by ccid/name. */
@Injectable()
export class EmbeddedTelephonyResourceStore extends TelephonyResourceStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async createDn(dn: Dn): Promise<Dn> {
    if (await this.db.putIfAbsent(DNS, dn.dn, { ...dn })) return { ...dn };
    return (await this.getDn(dn.dn)) ?? { ...dn };
  }

  async getDn(dn: string): Promise<Dn | undefined> {
    const row = this.db.get(DNS, dn);
    return row ? toDn(row) : undefined;
  }

  async listDns(ccid: string): Promise<Dn[]> {
    return [...this.db.values(DNS)]
      .filter((row) => row.ccid === ccid)
      .map(toDn)
      .sort((a, b) => a.dn.localeCompare(b.dn));
  }

  async deleteDn(ccid: string, dn: string): Promise<boolean> {
    if (this.db.get(DNS, dn)?.ccid !== ccid) return false;
    return this.db.delete(DNS, dn);
  }

  createPlace(place: Place): Promise<boolean> {
    return this.db.putIfAbsent(PLACES, placeKey(place.ccid, place.name), { ...place });
  }

  async getPlace(ccid: string, name: string): Promise<Place | undefined> {
    const row = this.db.get(PLACES, placeKey(ccid, name));
    return row ? toPlace(row) : undefined;
  }

  async listPlaces(ccid: string): Promise<Place[]> {
    return [...this.db.values(PLACES)]
      .filter((row) => row.ccid === ccid)
      .map(toPlace)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async updatePlace(place: Place): Promise<boolean> {
    const key = placeKey(place.ccid, place.name);
    if (!this.db.get(PLACES, key)) return false;
    await this.db.put(PLACES, key, { ...place });
    return true;
  }

  deletePlace(ccid: string, name: string): Promise<boolean> {
    return this.db.delete(PLACES, placeKey(ccid, name));
  }
}

function placeKey(ccid: string, name: string): string {
  return `${ccid}/${name}`;
}

function toDn(row: Record<string, unknown>): Dn {
  return { ccid: row.ccid as string, dn: row.dn as string, switch: row.switch as string, createdAt: row.createdAt as string };
}

function toPlace(row: Record<string, unknown>): Place {
  return {
    ccid: row.ccid as string,
    name: row.name as string,
    dns: [...((row.dns as string[]) ?? [])],
    agents: [...((row.agents as string[]) ?? [])],
    createdAt: row.createdAt as string,
    updatedAt: row.updatedAt as string,
  };
}
