import { LocalClusterEvents } from '../../cluster/cluster-events';
import type { SealedSecret } from '../keys/master-key-ring';
import { Certificate } from './certificate';
import { CERTIFICATE_LIST_TTL_MS, CertificateDirectory } from './certificate-directory';
import { CertificateStore } from './certificate.store';

/** A store that counts list reads and can fail them (the directory's only dependency). */
class CountingStore extends CertificateStore {
  lists = 0;
  failNext = false;
  certificates: Certificate[] = [];
  async list(): Promise<Certificate[]> {
    this.lists++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store down');
    }
    return this.certificates;
  }
  create(): Promise<boolean> {
    throw new Error('not used');
  }
  get(): Promise<Certificate | undefined> {
    throw new Error('not used');
  }
  listAll(): Promise<Certificate[]> {
    throw new Error('not used');
  }
  activate(): Promise<void> {
    throw new Error('not used');
  }
  retire(): Promise<void> {
    throw new Error('not used');
  }
  markDeleted(): Promise<void> {
    throw new Error('not used');
  }
  replacePrivateKey(_c: string, _i: string, _e: SealedSecret, _n: SealedSecret): Promise<boolean> {
    throw new Error('not used');
  }
}

describe('CertificateDirectory', () => {
  afterEach(() => jest.useRealTimers());

  it('reuses a contact center’s list for a short time, reads again after a change on this node or once it is older', async () => {
    jest.useFakeTimers({ now: 5_000_000 });
    const store = new CountingStore();
    const directory = new CertificateDirectory(store, new LocalClusterEvents());
    await Promise.all([directory.active('cc-1'), directory.active('cc-1')]);
    expect(store.lists).toBe(1);
    await directory.active('cc-2');
    expect(store.lists).toBe(2);
    directory.forget('cc-1');
    await directory.active('cc-1');
    expect(store.lists).toBe(3);
    jest.advanceTimersByTime(CERTIFICATE_LIST_TTL_MS - 1);
    await directory.active('cc-1');
    expect(store.lists).toBe(3);
    jest.advanceTimersByTime(1);
    await directory.active('cc-1');
    expect(store.lists).toBe(4);
  });

  it('does not remember a failed read', async () => {
    const store = new CountingStore();
    const directory = new CertificateDirectory(store, new LocalClusterEvents());
    store.failNext = true;
    await expect(directory.active('cc-1')).rejects.toThrow('store down');
    await expect(directory.active('cc-1')).resolves.toBeUndefined();
    expect(store.lists).toBe(2);
  });
});
