import { formatTimestamp } from '../common/rws-time';
import { ScreenMediaFile, ScreenRecording } from './screen-recording';

/** Where a view's media URIs point: the stored bytes (service clients) or the decrypted play stream (players). */
export type MediaUriStyle = 'content' | 'play';

/**
 * The RWS-compatible JSON of a screen recording (api.md §6, compat.md §4), media URIs absolute under
 * `baseUrl`. It is also what the Recording Muxer posts back: `size`/`duration` as strings, `mediaDescriptor`
 * with the folder in `data.storagePath` and the file in `path`, `parameters` as registered plus the region
 * and the contact.
 */
export function screenRecordingView(recording: ScreenRecording, baseUrl: string, style: MediaUriStyle): Record<string, unknown> {
  return {
    id: recording.id,
    callUUID: recording.callUuid,
    callUuid: recording.callUuid,
    connId: recording.connId,
    userName: recording.userName,
    ...(recording.agentId ? { agentId: recording.agentId } : {}),
    region: recording.region,
    state: recording.state,
    ...(recording.missingReason ? { missingReason: recording.missingReason } : {}),
    playable: isPlayable(recording),
    startTime: formatTimestamp(recording.startTime),
    ...(recording.stopTime ? { stopTime: formatTimestamp(recording.stopTime) } : {}),
    nonDelete: recording.nonDelete,
    eventHistory: recording.eventHistory ?? [],
    mediaFiles: recording.mediaFiles.map((m) => mediaView(recording, m, baseUrl, style)),
  };
}

/** Whether there is media to play: only a stored recording with a media file. */
export function isPlayable(recording: ScreenRecording): boolean {
  return recording.state === 'stored' && recording.mediaFiles.length > 0;
}

/** Path of a media file: under /internal-api (content) or /api/v2 (play), like the voice `mediaPath`. */
function mediaPathOf(recording: ScreenRecording, media: ScreenMediaFile, style: MediaUriStyle): string {
  const mediaId = encodeURIComponent(media.mediaId);
  return style === 'content' ? `/contact-centers/${recording.ccid}/screen-recordings/${recording.id}/content/${mediaId}` : `/screen-recordings/${recording.id}/play/${mediaId}`;
}

export function mediaUriOf(recording: ScreenRecording, media: ScreenMediaFile, baseUrl: string, style: MediaUriStyle): string {
  return `${baseUrl}${style === 'content' ? '/internal-api' : '/api/v2'}${mediaPathOf(recording, media, style)}`;
}

/** The stored file as a descriptor: `data.storagePath` is its folder (URL or key prefix), `path` the file in it. */
export function mediaDescriptorOf(media: ScreenMediaFile): Record<string, unknown> {
  const slash = media.storagePath.lastIndexOf('/');
  const web = /^https?:\/\//i.test(media.storagePath);
  return {
    storage: web ? 'webDAV' : 'filesystem',
    path: decodeURIComponentSafely(media.storagePath.slice(slash + 1)),
    data: { storagePath: media.storagePath.slice(0, slash + 1) },
  };
}

function mediaView(recording: ScreenRecording, media: ScreenMediaFile, baseUrl: string, style: MediaUriStyle): Record<string, unknown> {
  const descriptor = mediaDescriptorOf(media);
  return {
    mediaUri: mediaUriOf(recording, media, baseUrl, style),
    mediaPath: mediaPathOf(recording, media, style),
    mediaId: media.mediaId,
    type: media.type,
    ...(media.duration !== undefined ? { duration: String(media.duration) } : {}),
    size: String(media.size),
    startTime: formatTimestamp(media.startTime),
    stopTime: formatTimestamp(media.stopTime),
    parameters: { region: recording.region, contact: { userName: recording.userName }, ...(media.parameters ?? {}) },
    mediaDescriptor: descriptor,
    originalMediaDescriptor: descriptor,
    ...(media.pkcs7 ? { pkcs7: media.pkcs7 } : {}),
  };
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
