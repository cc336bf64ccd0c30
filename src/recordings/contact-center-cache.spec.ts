import { LocalClusterEvents } from '../cluster/cluster-events';
import type { ContactCenter } from '../contact-centers/contact-center';
import { ContactCenterNotFoundException } from '../contact-centers/contact-centers.exception';
import type { ContactCentersService } from '../contact-centers/contact-centers.service';
import { ContactCenterCache } from './contact-center-cache';

const CCID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function cacheOver(known: Map<string, ContactCenter>) {
  const reads: string[] = [];
  const service = {
    require: async (ccid: string) => {
      reads.push(ccid);
      await new Promise((resolve) => setImmediate(resolve));
      const found = known.get(ccid.toLowerCase());
      if (!found) throw new ContactCenterNotFoundException(ccid);
      return found;
    },
  } as unknown as ContactCentersService;
  return { cache: new ContactCenterCache(service, new LocalClusterEvents()), reads };
}

describe('ContactCenterCache', () => {
  it('reads a contact center once for many concurrent requests, then serves it from memory', async () => {
    const cc = { id: CCID, features: [] } as unknown as ContactCenter;
    const { cache, reads } = cacheOver(new Map([[CCID, cc]]));
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.require(CCID.toUpperCase())));
    expect(results.every((r) => r === cc)).toBe(true);
    await cache.require(CCID);
    expect(reads).toHaveLength(1);
  });

  it('never remembers an unknown contact center', async () => {
    const known = new Map<string, ContactCenter>();
    const { cache, reads } = cacheOver(known);
    await expect(Promise.all([cache.require(CCID), cache.require(CCID)])).rejects.toBeInstanceOf(ContactCenterNotFoundException);
    known.set(CCID, { id: CCID, features: [] } as unknown as ContactCenter);
    await expect(cache.require(CCID)).resolves.toMatchObject({ id: CCID });
    expect(reads).toHaveLength(2);
  });
});
