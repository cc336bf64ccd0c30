import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClusterEvents } from '../cluster/cluster-events';
import { ContactCenter } from './contact-center';
import { ContactCenterStore } from './contact-center.store';
import { ContactCenterNotFoundException } from './contact-centers.exception';

/** Use cases of the contact centers ops API. */
@Injectable()
export class ContactCentersService {
  constructor(
    private readonly store: ContactCenterStore,
    private readonly events: ClusterEvents,
  ) {}

  list(): Promise<ContactCenter[]> {
    return this.store.list();
  }

  async create(name: string | undefined, features: string[] = [], id: string = randomUUID()): Promise<ContactCenter> {
    const contactCenter: ContactCenter = { id, name: name ?? `Contact center ${id.slice(0, 8)}`, createdAt: new Date().toISOString(), features: [...features].sort() };
    await this.store.create(contactCenter);
    return (await this.store.get(id)) ?? contactCenter;
  }

  async require(ccid: string): Promise<ContactCenter> {
    const contactCenter = isUuid(ccid) ? await this.store.get(ccid.toLowerCase()) : undefined;
    if (!contactCenter) throw new ContactCenterNotFoundException(ccid);
    return contactCenter;
  }

  async enableFeatures(ccid: string, uris: string[]): Promise<ContactCenter> {
    await this.require(ccid);
    const updated = await this.store.addFeatures(ccid.toLowerCase(), uris);
    if (!updated) throw new ContactCenterNotFoundException(ccid);
    this.events.publish('contact-center-changed', { ccid: updated.id });
    return updated;
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
