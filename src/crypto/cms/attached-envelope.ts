import { Readable } from 'node:stream';
import { decodeEnvelopedData, encodeEnvelopedData, encodeEnvelopedDataPrefix, EnvelopeFormatError } from './enveloped-data';
import { fromEnvelopePem, toPem } from './pem';

/**
 * Splits an attached CMS EnvelopedData (what `openssl cms -encrypt` writes) into the detached `pkcs7`
 * RWS keeps in metadata and the ciphertext it keeps as `<name>.bin`. Accepts DER/BER or PEM; in memory.
 */
export function splitAttachedEnvelope(input: Buffer): { pkcs7: string; ciphertext: Buffer } {
  const text = input.subarray(0, 64).toString('latin1');
  const der = text.includes('-----BEGIN') ? fromEnvelopePem(input.toString('latin1')) : input;
  const envelope = decodeEnvelopedData(der);
  if (!envelope.encryptedContent) throw new EnvelopeFormatError('the envelope has no attached content to split off');
  const ciphertext = Buffer.from(envelope.encryptedContent);
  return { pkcs7: toPem(encodeEnvelopedData({ ...envelope, encryptedContent: undefined })), ciphertext };
}

/**
 * Joins a detached `pkcs7` and its ciphertext into one attached DER CMS for other tools
 * (`openssl cms -decrypt -inform DER`), streaming: the envelope's header, then the ciphertext as it comes.
 * (OpenSSL also decrypts the detached form directly: `openssl cms -decrypt -inform PEM -in env.pem -content <name>.bin`.)
 */
export function joinEnvelope(pkcs7: string, ciphertext: Readable, ciphertextSize: number): Readable {
  const envelope = decodeEnvelopedData(fromEnvelopePem(pkcs7));
  const prefix = encodeEnvelopedDataPrefix({ ...envelope, encryptedContent: undefined }, ciphertextSize);
  return Readable.from(
    (async function* () {
      yield prefix;
      let seen = 0;
      for await (const part of ciphertext) {
        seen += (part as Buffer).length;
        if (seen > ciphertextSize) throw new EnvelopeFormatError('the ciphertext is longer than announced');
        yield part as Buffer;
      }
      if (seen !== ciphertextSize) throw new EnvelopeFormatError('the ciphertext is shorter than announced');
    })(),
  );
}
