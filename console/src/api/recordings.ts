import { api, type Query } from './client';

/** One media file of a recording, as the API's view adds play links to it. */
export interface MediaFile {
  mediaId: string;
  mediaFileId: string;
  /** Relative to /api/v2: `/recordings/<id>/play/<mediaFileId>.<ext>` (or the ops twin). */
  playPath: string;
  type?: string;
  startTime?: string;
  stopTime?: string;
  duration?: string;
  parameters?: Record<string, unknown>;
  pkcs7?: string;
}

/** A screen recording of the call (linked by CallUUID). */
export interface ScreenRecordingLink {
  id: string;
  mediaUri: string;
  startTime?: string;
  stopTime?: string;
}

export interface Recording {
  id: string;
  callerPhoneNumber: string;
  dialedPhoneNumber: string;
  startTime?: string;
  stopTime?: string;
  callType?: string;
  partitions?: string[];
  labels: string[];
  nonDelete: boolean;
  eventHistory: Record<string, unknown>[];
  mediaFiles: MediaFile[];
  screenRecordings: ScreenRecordingLink[];
}

/** Every filter `GET /api/v2/recordings` has (openapi: Recordings_search). */
export const SEARCH_FILTERS = [
  'callerPhoneNumber',
  'dialedPhoneNumber',
  'startTime',
  'endTime',
  'agentId',
  'userName',
  'callType',
  'partition',
  'label',
  'callUuid',
  'connId',
] as const;
export type SearchFilter = (typeof SEARCH_FILTERS)[number];
export type SearchCriteria = Partial<Record<SearchFilter, string>>;

export interface SearchPage {
  recordings: Recording[];
  nextPageToken?: string;
}

/** The ops account names a contact center (`ccid`); everyone else searches their own. */
export function searchRecordings(criteria: SearchCriteria, page: { limit: number; pageToken?: string; ccid?: string }): Promise<SearchPage> {
  return api.get<SearchPage>('/api/v2/recordings', { ...criteria, ...page } as Query);
}

export async function getRecording(id: string, ccid?: string): Promise<Recording> {
  return (await api.get<{ recording: Recording }>(`/api/v2/recordings/${encodeURIComponent(id)}`, { ccid })).recording;
}

type RecordingOperation = 'applyNonDelete' | 'removeNonDelete' | 'addLabel' | 'removeLabel';

export async function operateOnRecording(id: string, operationName: RecordingOperation, label?: string, ccid?: string): Promise<void> {
  await api.post(`/api/v2/recordings/${encodeURIComponent(id)}`, { operationName, label }, { ccid });
}

/** The labels that may be applied in the caller's contact center. */
export async function labelDefinitions(ccid?: string): Promise<string[]> {
  const answer = await api.get<{ labelDefinitions: { name: string }[] }>('/api/v2/recording-label-definitions', { ccid });
  return answer.labelDefinitions.map((d) => d.name);
}

/** The URL a media element plays (same origin: the session cookie goes along, Range requests work). */
export function playUrl(media: MediaFile, ccid?: string): string {
  const url = `/api/v2${media.playPath}`;
  return ccid ? `${url}?ccid=${encodeURIComponent(ccid)}` : url;
}
