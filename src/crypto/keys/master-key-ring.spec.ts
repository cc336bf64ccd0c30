import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyRing, MasterKeyUnavailableError, SealedSecretError } from './master-key-ring';

describe('MasterKeyRing', () => {
  const secret = randomBytes(1200);

  it('seals and opens, bound to the record it was sealed for', () => {
    const ring = new MasterKeyRing(randomBytes(32));
    const sealed = ring.seal(secret, 'cc/1');
    expect(Buffer.from(sealed.ciphertext, 'base64').equals(secret)).toBe(false);
    expect(ring.open(sealed, 'cc/1').equals(secret)).toBe(true);
    expect(() => ring.open(sealed, 'cc/2')).toThrow(SealedSecretError);
    const altered = { ...sealed, ciphertext: Buffer.from(Buffer.from(sealed.ciphertext, 'base64').map((b, i) => (i === 5 ? b ^ 1 : b))).toString('base64') };
    expect(() => ring.open(altered, 'cc/1')).toThrow(SealedSecretError);
  });

  it('opens secrets of old keys, seals under the current one, and names a missing key', () => {
    const oldKey = randomBytes(32);
    const before = new MasterKeyRing(oldKey);
    const sealed = before.seal(secret, 'x');
    const rotated = new MasterKeyRing(randomBytes(32), [oldKey]);
    expect(rotated.isCurrent(sealed)).toBe(false);
    expect(rotated.open(sealed, 'x').equals(secret)).toBe(true);
    expect(rotated.isCurrent(rotated.seal(secret, 'x'))).toBe(true);
    expect(() => new MasterKeyRing(randomBytes(32)).open(sealed, 'x')).toThrow(MasterKeyUnavailableError);
  });

  it('generates a key once into the data directory, readable by the owner only', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rws-mk-'));
    const first = MasterKeyRing.fromConfig({ dataDir, oldMasterKeys: [] });
    expect(first.generatedFile).toBe(join(dataDir, 'crypto', 'master.key'));
    expect(statSync(first.generatedFile!).mode & 0o777).toBe(0o600);
    const again = MasterKeyRing.fromConfig({ dataDir, oldMasterKeys: [] });
    expect(again.ring.currentKeyId).toBe(first.ring.currentKeyId);
    expect(again.ring.open(first.ring.seal(secret, 'y'), 'y').equals(secret)).toBe(true);
    expect(readFileSync(first.generatedFile!, 'utf8')).not.toContain(first.ring.currentKeyId);
    const configured = MasterKeyRing.fromConfig({ dataDir, masterKey: randomBytes(32), oldMasterKeys: [] });
    expect(configured.generatedFile).toBeUndefined();
  });
});
