import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { RecordingStorage } from '../storage/recording-storage';
import { storageKeySegments } from '../storage/storage-key';
import { StorageObjectNotFoundException } from '../storage/storage.exception';
import type { LocatedMedia } from './voice-media-locator';

/** Folders of the node storage that RWS itself writes (screen media, releases): never voice media. */
const RWS_OWN_FOLDERS = new Set(['cc', 'releases']);

/** Whether a node-storage key is off limits for voice media: in RWS's own folders, or not a valid storage key. */
export function isOffLimitsKey(key: string): boolean {
  try {
    return RWS_OWN_FOLDERS.has(storageKeySegments(key)[0]);
  } catch {
    return true;
  }
}

/**
 * Voice media in the node's own recording storage. A key in RWS's own folders is refused: a recording
 * document must not reach screen media or a release, neither for playback nor for deletion (inserts naming
 * one are refused too; this guards documents stored before).
 */
export function nodeStorageMedia(storage: RecordingStorage, key: string, mediaFileId: string): LocatedMedia {
  if (isOffLimitsKey(key)) throw notReadable(mediaFileId);
  return {
    size: async () => {
      const stat = await storage.stat(key);
      if (!stat) throw new RwsException(ErrorCode.NotFound, `Media [${mediaFileId}] is missing from recording storage.`);
      return stat.size;
    },
    read: async (range) => (await storage.read(key, range)).stream,
    openRange: (range) => storage.openRead(key, range),
    remove: async () => {
      await storage.delete(key).catch((err: unknown) => {
        if (!(err instanceof StorageObjectNotFoundException)) throw err;
      });
    },
  };
}

function notReadable(mediaFileId: string): RwsException {
  return new RwsException(ErrorCode.NotFound, `Media [${mediaFileId}] names RWS's own recording storage, not voice media.`);
}
