import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { ContactCenter } from '../../contact-centers/contact-center';
import { ContactCenterStore } from '../../contact-centers/contact-center.store';
import { CassandraConnection } from './cassandra-connection';

/** ContactCenterStore on Cassandra. The table is small (one row per tenant), so listing reads it whole. */
@Injectable()
export class CassandraContactCenterStore extends ContactCenterStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(cc: ContactCenter): Promise<boolean> {
    const result = await this.cql.execute(
      'INSERT INTO contact_centers (id, name, created_at, features) VALUES (?, ?, ?, ?) IF NOT EXISTS',
      [cc.id, cc.name, new Date(cc.createdAt), cc.features],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async get(id: string): Promise<ContactCenter | undefined> {
    const result = await this.cql.execute('SELECT id, name, created_at, features FROM contact_centers WHERE id = ?', [id], { idempotent: true });
    const row = result.first();
    return row ? toContactCenter(row) : undefined;
  }

  async list(): Promise<ContactCenter[]> {
    const out: ContactCenter[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT id, name, created_at, features FROM contact_centers', [], { idempotent: true, fetchSize: 500, pageState });
      out.push(...page.rows.map(toContactCenter));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async addFeatures(id: string, uris: string[]): Promise<ContactCenter | undefined> {
    const result = await this.cql.execute('UPDATE contact_centers SET features = features + ? WHERE id = ? IF EXISTS', [uris, id], {
      idempotent: false,
    });
    if (!result.wasApplied()) return undefined;
    return this.get(id);
  }

  async getSettings(id: string, group: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.cql.execute('SELECT value FROM contact_center_settings WHERE ccid = ? AND settings_group = ?', [id, group], {
      idempotent: true,
    });
    const row = result.first();
    return row ? (JSON.parse(row.value as string) as Record<string, unknown>) : undefined;
  }

  async putSettings(id: string, group: string, value: Record<string, unknown>): Promise<void> {
    await this.cql.execute('INSERT INTO contact_center_settings (ccid, settings_group, value) VALUES (?, ?, ?)', [id, group, JSON.stringify(value)], {
      idempotent: true,
    });
  }
}

function toContactCenter(row: types.Row): ContactCenter {
  return {
    id: String(row.id),
    name: row.name as string,
    createdAt: (row.created_at as Date).toISOString(),
    features: [...((row.features as string[] | null) ?? [])].sort(),
  };
}
