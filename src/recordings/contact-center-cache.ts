import { Injectable } from '@nestjs/common';
import type { ContactCenter } from '../contact-centers/contact-center';
import { ClusterEvents } from '../cluster/cluster-events';
import { ContactCentersService } from '../contact-centers/contact-centers.service';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Contact centers as the recording hot paths see them: every insert checks the contact center and its
 * features, and reading them from Cassandra each time costs a round trip per recording. Known contact
 * centers are kept for a few seconds, and dropped at once on every node when one changes (ClusterEvents: a
 * feature enabled through any node applies to the next insert on all of them); unknown ones are never
 * cached, so a contact center just created is usable at once. Concurrent misses share one read (at
 * expiry, every request in flight would otherwise read the same row).
 */
@Injectable()
export class ContactCenterCache {
  private readonly entries = new Map<string, { contactCenter: ContactCenter; expires: number }>();
  private readonly reading = new Map<string, Promise<ContactCenter>>();
  /** Bumped by every change heard: a read that started before it may be stale and is not kept. */
  private generation = 0;

  constructor(
    private readonly contactCenters: ContactCentersService,
    events: ClusterEvents,
  ) {
    events.subscribe('contact-center-changed', ({ ccid }) => this.forget(ccid.toLowerCase()));
    events.onResync(() => this.forget());
  }

  /** The contact center, or ContactCenterNotFoundException (404). */
  async require(ccid: string): Promise<ContactCenter> {
    const key = ccid.toLowerCase();
    const cached = this.entries.get(key);
    if (cached && cached.expires > Date.now()) return cached.contactCenter;
    let read = this.reading.get(key);
    if (!read) {
      read = this.read(ccid, key).finally(() => this.reading.delete(key));
      this.reading.set(key, read);
    }
    return read;
  }

  private forget(key?: string): void {
    this.generation += 1;
    if (key === undefined) {
      this.entries.clear();
      this.reading.clear();
    } else {
      this.entries.delete(key);
      this.reading.delete(key);
    }
  }

  private async read(ccid: string, key: string): Promise<ContactCenter> {
    const generation = this.generation;
    const contactCenter = await this.contactCenters.require(ccid);
    if (generation !== this.generation) return contactCenter;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { contactCenter, expires: Date.now() + TTL_MS });
    return contactCenter;
  }
}
