import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { OAEP_SHA256 } from '../cms/enveloped-data';
import { KeyUnwrapError, selectKey, unwrapContentKey, wrapContentKey } from './rsa-key-transport';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const V15 = { scheme: 'rsa-pkcs1-v1_5' } as const;

describe('RSA key transport', () => {
  it('unwraps PKCS#1 v1.5 without OpenSSL\'s (refused) PKCS#1 private decryption', () => {
    const key = randomBytes(32);
    expect(unwrapContentKey(privateKey, V15, wrapContentKey(publicKey, V15, key), 32).equals(key)).toBe(true);
    // Node 20 refuses this path (CVE-2023-46809); the implementation must not depend on it.
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
    expect(unwrapContentKey(privateKey, V15, wrapped, 32).equals(key)).toBe(true);
    // A ciphertext whose leading zero bytes an encoder dropped still unwraps.
    let trimmed: Buffer | undefined;
    for (let i = 0; i < 2000 && !trimmed; i++) {
      const candidate = wrapContentKey(publicKey, V15, key);
      if (candidate[0] === 0) trimmed = candidate.subarray(1);
    }
    if (trimmed) expect(unwrapContentKey(privateKey, V15, trimmed, 32).equals(key)).toBe(true);
  });

  it('answers a bad PKCS#1 v1.5 padding with a stable synthetic key, never an error (implicit rejection)', () => {
    const key = randomBytes(32);
    // A block below the modulus (leading zero) whose padding type byte is wrong: raw RSA of it under our key.
    const block = randomBytes(256);
    block[0] = 0x00;
    block[1] = 0x05;
    const wrongKey = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
    const first = unwrapContentKey(privateKey, V15, wrongKey, 32);
    expect(first.equals(key)).toBe(false);
    expect(unwrapContentKey(privateKey, V15, wrongKey, 32).equals(first)).toBe(true);
    // A well-formed padding around a key of the wrong length is rejected the same way.
    const short = wrapContentKey(publicKey, V15, randomBytes(16));
    expect(unwrapContentKey(privateKey, V15, short, 32)).toHaveLength(32);
  });

  it('unwraps RSA-OAEP and reports a wrong key as KeyUnwrapError', () => {
    const key = randomBytes(32);
    const wrapped = wrapContentKey(publicKey, OAEP_SHA256, key);
    expect(unwrapContentKey(privateKey, OAEP_SHA256, wrapped, 32).equals(key)).toBe(true);
    expect(() => unwrapContentKey(other.privateKey, OAEP_SHA256, wrapped, 32)).toThrow(KeyUnwrapError);
    expect(() => unwrapContentKey(privateKey, OAEP_SHA256, wrapped, 16)).toThrow(/32 bytes, 16 expected/);
    expect(() => unwrapContentKey(privateKey, { ...OAEP_SHA256, mgf1Hash: 'sha1' }, wrapped, 32)).toThrow(/not supported/);
  });

  it('refuses ciphertexts that cannot come from this key', () => {
    expect(() => unwrapContentKey(privateKey, V15, Buffer.alloc(300, 1), 32)).toThrow(KeyUnwrapError);
    expect(() => unwrapContentKey(privateKey, V15, Buffer.alloc(256, 0xff), 32)).toThrow(KeyUnwrapError);
  });
});

describe('selectKey (PKCS#1 v1.5 unpadding)', () => {
  const synthetic = Buffer.alloc(32, 0xee);
  const message = Buffer.alloc(32, 0x5a);
  function em(mutate: (b: Buffer) => void = () => undefined): Buffer {
    const block = Buffer.concat([Buffer.from([0x00, 0x02]), Buffer.alloc(256 - 3 - 32, 0x11), Buffer.from([0x00]), message]);
    mutate(block);
    return block;
  }

  it('takes M from a well-formed block', () => {
    expect(selectKey(em(), 32, synthetic).equals(message)).toBe(true);
  });

  it('takes the synthetic key for every malformation', () => {
    const cases: [string, (b: Buffer) => void][] = [
      ['first byte', (b) => (b[0] = 1)],
      ['block type 1', (b) => (b[1] = 1)],
      ['zero in PS', (b) => (b[2 + 100] = 0)],
      ['zero early in PS (message too long)', (b) => (b[5] = 0)],
      ['no separator', (b) => (b[256 - 33] = 0x11)],
    ];
    for (const [, mutate] of cases) expect(selectKey(em(mutate), 32, synthetic).equals(synthetic)).toBe(true);
  });
});
