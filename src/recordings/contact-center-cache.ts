import { Injectable } from '@nestjs/common';
import type { ContactCenter } from '../contact-centers/contact-center';
import { ContactCenterChanges } from '../contact-centers/contact-center-changes';
import { ContactCentersService } from '../contact-centers/contact-centers.service';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Contact centers as the recording hot paths see them: every insert checks the contact center and its
 * features, and reading them from Cassandra each time costs a round trip per recording. Known contact
 * centers are kept for a few seconds, and dropped at once when ContactCenterChanges says they changed (a
 * feature just enabled applies to the next request); unknown ones are never
 * cached, so a contact center just created is usable at once. Concurrent misses share one read (at
 * expiry, every request in flight would otherwise read the same row).
 */
@Injectable()
export class ContactCenterCache {
  private readonly entries = new Map<string, { contactCenter: ContactCenter; expires: number }>();
  private readonly reading = new Map<string, Promise<ContactCenter>>();

  constructor(
    private readonly contactCenters: ContactCentersService,
    changes: ContactCenterChanges,
  ) {
    changes.subscribe((ccid) => this.forget(ccid));
  }

  /** Drops the copy of one contact center (a read in flight may still answer with the old state once). */
  forget(ccid: string): void {
    const key = ccid.toLowerCase();
    this.entries.delete(key);
    this.reading.delete(key);
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

  private async read(ccid: string, key: string): Promise<ContactCenter> {
    const contactCenter = await this.contactCenters.require(ccid);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { contactCenter, expires: Date.now() + TTL_MS });
    return contactCenter;
  }
}
