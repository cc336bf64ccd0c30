import { formatTimestamp } from '../common/rws-time';
import { ScreenMediaFile, ScreenRecording } from './screen-recording';

/** Where a view's media URIs point: the stored bytes (service clients) or the decrypted play stream (players). */
export type MediaUriStyle = 'content' | 'play';

/** The RWS-compatible JSON of a screen recording (api.md §6), media URIs absolute under `baseUrl`. */
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
    mediaFiles: recording.mediaFiles.map((m) => mediaView(recording, m, mediaUriOf(recording, m, baseUrl, style))),
  };
}

/** Whether there is media to play: only a stored recording with a media file. */
export function isPlayable(recording: ScreenRecording): boolean {
  return recording.state === 'stored' && recording.mediaFiles.length > 0;
}

export function mediaUriOf(recording: ScreenRecording, media: ScreenMediaFile, baseUrl: string, style: MediaUriStyle): string {
  const mediaId = encodeURIComponent(media.mediaId);
  return style === 'content'
    ? `${baseUrl}/internal-api/contact-centers/${recording.ccid}/screen-recordings/${recording.id}/content/${mediaId}`
    : `${baseUrl}/api/v2/screen-recordings/${recording.id}/play/${mediaId}`;
}

function mediaView(recording: ScreenRecording, media: ScreenMediaFile, mediaUri: string): Record<string, unknown> {
  return {
    mediaUri,
    mediaId: media.mediaId,
    type: media.type,
    ...(media.duration !== undefined ? { duration: String(media.duration) } : {}),
    size: String(media.size),
    startTime: formatTimestamp(media.startTime),
    stopTime: formatTimestamp(media.stopTime),
    parameters: { contact: { userName: recording.userName } },
    originalMediaDescriptor: { storage: media.storagePath.startsWith('http') ? 'webDAV' : 'filesystem', path: media.storagePath, data: { storagePath: media.storagePath } },
    ...(media.pkcs7 ? { pkcs7: media.pkcs7 } : {}),
  };
}
