import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';
import type { Readable } from 'node:stream';
import type { Principal } from '../../identity/principal';
import { RecordingStorage } from '../../storage/recording-storage';
import { CryptoService, UnwrapContext } from '../crypto.service';
import { MediaDecryptionFailedException } from '../crypto.exception';
import { IntegrityRecordError, parseMediaIntegrity } from './chunk-integrity';
import { CiphertextSource, DecryptableMedia, prepareDecryption } from './decryptable-media';
import { MediaDecryptionError } from './media-errors';
import { RangeOutsideMediaError } from './range-plan';

/** The encryption fields of a media file's metadata. */
export interface EncryptedMediaFields {
  pkcs7: string;
  /** Chunk tags RWS recorded when it encrypted the file; absent for media-server files. */
  integrity?: unknown;
}

/**
 * Playback's entry to encrypted media: unwraps the file key through the crypto service (authorised,
 * audited), then serves any byte range decrypted, verified, streamed. Errors are RWS exceptions with
 * clear messages; a failure after the first bytes errors the stream.
 */
@Injectable()
export class EncryptedMediaReader {
  constructor(private readonly crypto: CryptoService) {}

  /** The media once its file key is unwrapped: a caller that may not decrypt gets the error here. */
  async prepare(principal: Principal, ccid: string, media: EncryptedMediaFields, source: CiphertextSource, context?: UnwrapContext): Promise<DecryptableMedia> {
    const decryptable = await this.begin(principal, ccid, media, source, context);
    await decryptable.ready();
    return decryptable;
  }

  /**
   * Like `prepare`, without waiting for the key when the integrity record tells the sizes: the unwrap runs
   * while the caller goes on (e.g. asks storage for the ciphertext in `open`). Nothing is decrypted or
   * served before the unwrap succeeded; `ready()` reports its outcome to callers that open nothing.
   */
  async begin(principal: Principal, ccid: string, media: EncryptedMediaFields, source: CiphertextSource, context?: UnwrapContext): Promise<DecryptableMedia> {
    let integrity;
    try {
      integrity = media.integrity === undefined || media.integrity === null ? undefined : parseMediaIntegrity(media.integrity);
    } catch (err) {
      if (err instanceof IntegrityRecordError) throw new MediaDecryptionFailedException(err.message, err);
      throw err;
    }
    const key = this.crypto.unwrapFileKey(principal, ccid, media.pkcs7, context);
    const decryptable = await translated(() => prepareDecryption(key, source, integrity));
    return {
      plaintextSize: decryptable.plaintextSize,
      verified: decryptable.verified,
      ready: () => decryptable.ready(),
      open: async (range) => {
        try {
          return await translated(() => decryptable.open(range));
        } catch (err) {
          if (err instanceof RangeOutsideMediaError) {
            throw new RwsException(ErrorCode.RangeNotSatisfiable, err.message, { headers: { 'Content-Range': `bytes */${decryptable.plaintextSize}` } });
          }
          throw err;
        }
      },
    };
  }
}

/** Ciphertext from recording storage. */
export function storageCiphertextSource(storage: RecordingStorage, key: string): CiphertextSource {
  return {
    size: async () => {
      const stat = await storage.stat(key);
      if (!stat) throw new MediaDecryptionFailedException("the media's ciphertext is missing from storage", undefined, { storageKey: key });
      return stat.size;
    },
    read: async (start, end): Promise<Readable> => (await storage.read(key, { start, end })).stream,
    openRead: (start, end) => storage.openRead(key, { start, end }),
  };
}

async function translated<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof MediaDecryptionError) throw new MediaDecryptionFailedException(err.message, err);
    throw err;
  }
}
