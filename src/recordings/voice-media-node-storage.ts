import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { RecordingStorage } from '../storage/recording-storage';
import { storageKeySegments } from '../storage/storage-key';
import { StorageInvalidKeyException, StorageObjectNotFoundException } from '../storage/storage.exception';
import type { LocatedMedia } from './voice-media-locator';

/** Folders of the node storage that RWS itself writes (screen media, releases): never voice media. */
const RWS_OWN_FOLDERS = new Set(['cc', 'releases']);

/**
 * The node-storage key a voice media path names, or undefined when it names none: a relative path is the key
 * itself; an absolute URL is one when it lies under the node's WEBDAV_URL (`nodeWebDavUrl`).
 */
export function nodeStorageKeyOf(path: string, nodeWebDavUrl: string | undefined): string | undefined {
  if (!/^https?:\/\//i.test(path)) return path.replace(/^\/+/, '');
  if (!nodeWebDavUrl) return undefined;
  const base = nodeWebDavUrl.endsWith('/') ? nodeWebDavUrl : `${nodeWebDavUrl}/`;
  if (!path.startsWith(base)) return undefined;
  try {
    return decodeURIComponent(path.slice(base.length));
  } catch {
    return undefined;
  }
}

/**
 * Voice media in the node's own recording storage. A key in RWS's own folders is refused (except
 * `cc/<this ccid>/voice/…`): a recording document must not reach another contact center's screen media or a
 * release, neither for playback nor for deletion.
 */
export function nodeStorageMedia(storage: RecordingStorage, ccid: string, key: string, mediaFileId: string): LocatedMedia {
  let segments: string[];
  try {
    segments = storageKeySegments(key);
  } catch (err) {
    if (err instanceof StorageInvalidKeyException) throw notReadable(mediaFileId);
    throw err;
  }
  const ownVoiceFolder = segments[0] === 'cc' && segments[1]?.toLowerCase() === ccid.toLowerCase() && segments[2] === 'voice';
  if (RWS_OWN_FOLDERS.has(segments[0]) && !ownVoiceFolder) throw notReadable(mediaFileId);
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
  return new RwsException(ErrorCode.NotFound, `Media [${mediaFileId}] names a path outside the voice media of this contact center.`);
}
