import { constants, createHash, createHmac, KeyObject, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { KeyTransportAlgorithm, OaepKeyTransport } from '../cms/enveloped-data';

/** The wrapped key could not be recovered with this private key (wrong key, or not an RSA-wrapped key of the expected size). */
export class KeyUnwrapError extends Error {}

/** Wraps a content key for a recipient's RSA public key. */
export function wrapContentKey(publicKey: KeyObject, algorithm: KeyTransportAlgorithm, contentKey: Buffer): Buffer {
  if (algorithm.scheme === 'rsa-pkcs1-v1_5') {
    // Only tests write the legacy form (media servers do); public-key PKCS#1 v1.5 encryption is still allowed.
    return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, contentKey);
  }
  requireSameOaepHashes(algorithm);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm.hash, oaepLabel: algorithm.label }, contentKey);
}

/**
 * Recovers a content key of `keyBytes` bytes. OAEP goes through OpenSSL. PKCS#1 v1.5 cannot (Node 20
 * refuses it for private decryption since CVE-2023-46809, the Marvin attack), so it is done here on the
 * raw RSA result: OpenSSL still performs the blinded private-key operation (RSA_NO_PADDING), and the
 * unpadding below runs without branches or indexing that depend on the secret, and never reports a
 * padding failure: like OpenSSL ≥ 3.2's implicit rejection, a bad padding yields a key derived from the
 * private key and the ciphertext, which then fails the content's integrity or padding check exactly as a
 * wrong key would. No error path distinguishes "bad padding" from "wrong key".
 */
export function unwrapContentKey(privateKey: KeyObject, algorithm: KeyTransportAlgorithm, encryptedKey: Buffer, keyBytes: number): Buffer {
  if (algorithm.scheme === 'rsa-oaep') {
    requireSameOaepHashes(algorithm);
    let key: Buffer;
    try {
      key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm.hash, oaepLabel: algorithm.label }, encryptedKey);
    } catch {
      throw new KeyUnwrapError('the file key cannot be unwrapped with this private key');
    }
    if (key.length !== keyBytes) throw new KeyUnwrapError(`the unwrapped file key has ${key.length} bytes, ${keyBytes} expected`);
    return key;
  }
  return unwrapPkcs1v15(privateKey, encryptedKey, keyBytes);
}

function requireSameOaepHashes(algorithm: OaepKeyTransport): void {
  // node:crypto sets one digest, which OpenSSL also uses for MGF1.
  if (algorithm.hash !== algorithm.mgf1Hash) throw new KeyUnwrapError(`RSA-OAEP with ${algorithm.hash} and MGF1-${algorithm.mgf1Hash} is not supported`);
}

const rejectionSecrets = new WeakMap<KeyObject, Buffer>();

/** A secret per private key for implicit rejection, so that synthetic keys are stable but unpredictable. */
function rejectionSecretOf(privateKey: KeyObject): Buffer {
  let secret = rejectionSecrets.get(privateKey);
  if (!secret) {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    secret = createHash('sha256').update('RWS PKCS#1 v1.5 implicit rejection').update(der).digest();
    der.fill(0);
    rejectionSecrets.set(privateKey, secret);
  }
  return secret;
}

function unwrapPkcs1v15(privateKey: KeyObject, encryptedKey: Buffer, keyBytes: number): Buffer {
  const modulusBytes = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (modulusBytes < 128 || encryptedKey.length > modulusBytes || keyBytes > modulusBytes - 11) {
    throw new KeyUnwrapError('the wrapped file key does not fit this RSA key');
  }
  // Some encoders drop leading zero bytes of the ciphertext; RSA works on the integer.
  const input = encryptedKey.length === modulusBytes ? encryptedKey : Buffer.concat([Buffer.alloc(modulusBytes - encryptedKey.length), encryptedKey]);
  let em: Buffer;
  try {
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, input);
  } catch {
    // Ciphertext ≥ modulus: public information, not a padding oracle.
    throw new KeyUnwrapError('the wrapped file key does not fit this RSA key');
  }
  const synthetic = createHmac('sha256', rejectionSecretOf(privateKey)).update(input).digest();
  const out = selectKey(em, keyBytes, synthetic);
  em.fill(0);
  return out;
}

/**
 * EM = 0x00 ‖ 0x02 ‖ PS (≥ 8 non-zero bytes) ‖ 0x00 ‖ M with |M| = keyBytes. Every byte is visited, masks
 * replace branches, and M is read from its fixed position, so time does not depend on where padding fails.
 */
export function selectKey(em: Buffer, keyBytes: number, synthetic: Buffer): Buffer {
  const k = em.length;
  const separator = k - keyBytes - 1;
  let bad = em[0] | (em[1] ^ 0x02);
  // PS must be free of zero bytes, and the byte before M must be zero.
  for (let i = 2; i < separator; i++) bad |= isZeroMask(em[i]);
  bad |= em[separator] & 0xff;
  // Collapse to 0x00 (good) or 0xff (bad).
  const badMask = isZeroMask(isZeroMask(bad)) & 0xff;
  const out = Buffer.alloc(keyBytes);
  for (let j = 0; j < keyBytes; j++) out[j] = (em[separator + 1 + j] & ~badMask) | (synthetic[j % synthetic.length] & badMask);
  return out;
}

/** 0xff when `b` is zero, else 0x00, without a branch. */
function isZeroMask(b: number): number {
  return ((((b & 0xff) - 1) >>> 8) & 0xff);
}
