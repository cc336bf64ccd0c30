import type { ScreenRecordingLink } from './linked-screen-recordings';
import { JsonObject, RecordingMediaFile, STOP_BEFORE_START, VoiceRecording } from './voice-recording';

/** Where play URLs point: the public family (`/api/v2/recordings/…`) or the ops twin. */
export interface PlayLinks {
  /** `scheme://host` as the client addressed the node. */
  baseUrl: string;
  /** Path under /api/v2 that recordings live at: `` (public) or `/ops/contact-centers/<ccid>`. */
  family: string;
}

/**
 * A recording as the API returns it (api.md §2): the stored document plus, per media file, the absolute
 * `mediaUri`, `mediaPath`/`playPath` relative to /api/v2, `mediaFileId` and `originalMediaDescriptor`,
 * and the call's screen recordings. `stopBeforeStart: true` flags a recording (and each media file) whose
 * stopTime, stored as sent, lies before its startTime.
 */
export function recordingView(doc: VoiceRecording, links: PlayLinks, screenRecordings: ScreenRecordingLink[]): JsonObject {
  const inverted = stopsBeforeStart(doc) || doc.mediaFiles.some(stopsBeforeStart);
  return {
    ...doc,
    mediaFiles: doc.mediaFiles.map((media) => mediaView(doc.id, media, links)),
    screenRecordings,
    ...(inverted ? { [STOP_BEFORE_START]: true } : {}),
  };
}

/** Canonical timestamps (same width, UTC) compare correctly as text. */
function stopsBeforeStart(item: { startTime?: unknown; stopTime?: unknown }): boolean {
  return typeof item.startTime === 'string' && typeof item.stopTime === 'string' && item.stopTime < item.startTime;
}

function mediaView(id: string, media: RecordingMediaFile, links: PlayLinks): JsonObject {
  const playPath = `${links.family}/recordings/${encodeURIComponent(id)}/play/${media.mediaFileId}.${extensionOf(media)}`;
  return {
    ...media,
    mediaUri: `${links.baseUrl}/api/v2${playPath}`,
    mediaPath: playPath,
    playPath,
    originalMediaDescriptor: media.mediaDescriptor ?? null,
    ...(stopsBeforeStart(media) ? { [STOP_BEFORE_START]: true } : {}),
  };
}

const TYPE_EXTENSIONS: Record<string, string> = {
  'audio/mp3': 'mp3',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
};

/** The play URL's extension: from the media type, else from the mediaId (`….mp3`), else mp3. */
export function extensionOf(media: Pick<RecordingMediaFile, 'type' | 'mediaId'>): string {
  const byType = typeof media.type === 'string' ? TYPE_EXTENSIONS[media.type.toLowerCase()] : undefined;
  if (byType) return byType;
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(media.mediaId);
  return match && match[1].toLowerCase() !== 'bin' ? match[1].toLowerCase() : 'mp3';
}
