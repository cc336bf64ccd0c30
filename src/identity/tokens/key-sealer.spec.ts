import { randomBytes } from 'node:crypto';
import { KeySealer } from './key-sealer';

describe('KeySealer', () => {
  const sealer = new KeySealer(randomBytes(32));
  const secret = Buffer.from('private key bytes');

  it('opens what it sealed for the same key id', () => {
    const sealed = sealer.seal(secret, 'kid-1');
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(sealer.open(sealed, 'kid-1')).toEqual(secret);
  });

  it('refuses another key id, another sealing key and tampering', () => {
    const sealed = sealer.seal(secret, 'kid-1');
    expect(sealer.open(sealed, 'kid-2')).toBeUndefined();
    expect(new KeySealer(randomBytes(32)).open(sealed, 'kid-1')).toBeUndefined();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(sealer.open([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'kid-1')).toBeUndefined();
    expect(sealer.open('v0.a.b.c', 'kid-1')).toBeUndefined();
  });
});
