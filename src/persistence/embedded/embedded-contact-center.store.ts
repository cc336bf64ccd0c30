import { Injectable } from '@nestjs/common';
import { ContactCenter } from '../../contact-centers/contact-center';
import { ContactCenterStore } from '../../contact-centers/contact-center.store';
import { EmbeddedDatabase } from './embedded-database';

const CONTACT_CENTERS = 'contact_centers';
const SETTINGS = 'contact_center_settings';

/** ContactCenterStore on the embedded database. */
@Injectable()
export class EmbeddedContactCenterStore extends ContactCenterStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(contactCenter: ContactCenter): Promise<boolean> {
    return this.db.putIfAbsent(CONTACT_CENTERS, contactCenter.id, { ...contactCenter });
  }

  async get(id: string): Promise<ContactCenter | undefined> {
    const row = this.db.get(CONTACT_CENTERS, id);
    return row ? toContactCenter(row) : undefined;
  }

  async list(): Promise<ContactCenter[]> {
    return [...this.db.values(CONTACT_CENTERS)].map(toContactCenter).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async addFeatures(id: string, uris: string[]): Promise<ContactCenter | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const updated = { ...current, features: [...new Set([...current.features, ...uris])].sort() };
    await this.db.put(CONTACT_CENTERS, id, { ...updated });
    return updated;
  }

  async getSettings(id: string, group: string): Promise<Record<string, unknown> | undefined> {
    const row = this.db.get(SETTINGS, `${id}/${group}`);
    return row?.value as Record<string, unknown> | undefined;
  }

  async putSettings(id: string, group: string, value: Record<string, unknown>): Promise<void> {
    await this.db.put(SETTINGS, `${id}/${group}`, { value });
  }
}

function toContactCenter(row: Record<string, unknown>): ContactCenter {
  return {
    id: row.id as string,
    name: row.name as string,
    createdAt: row.createdAt as string,
    features: [...((row.features as string[]) ?? [])],
  };
}
