import { InvalidParameterException } from '../common/errors/rws.exception';
import { parseTimestamp } from '../common/rws-time';
import { isUuid } from '../contact-centers/contact-centers.service';

type Json = { [key: string]: unknown };

/** One media file a service (e.g. the Recording Muxer) already wrote to recording storage. */
export interface ScreenMediaRegistration {
  mediaId: string;
  type: string;
  size: number;
  /** Seconds. */
  duration?: number;
  startTime: string;
  stopTime: string;
  /** Where the file is: a storage key, or an absolute URL under the node's WebDAV storage. */
  location: string;
  /** The body field the location came from, for error messages. */
  locationField: string;
  sha256?: string;
  pkcs7?: string;
  integrity?: Record<string, unknown>;
  /** As sent (`region`, `contact`, `muxed_mediaIds` naming the sources of a muxed file, …). */
  parameters?: Json;
}

/** `POST /internal-api/contact-centers/{ccid}/screen-recordings`, whichever shape it came in. */
export interface ScreenRecordingRegistration {
  /** An existing recording's id: the media files are added to it (the muxer's round trip). */
  id?: string;
  callUuid?: string;
  connId?: string;
  userName?: string;
  agentId?: string;
  startTime?: string;
  stopTime?: string;
  eventHistory?: Json[];
  mediaFiles: ScreenMediaRegistration[];
}

const MEDIA_ID = /^[A-Za-z0-9._-]{1,200}$/;
const MEDIA_TYPE = /^[a-z]+\/[A-Za-z0-9.+-]{1,64}$/;
const DECIMAL = /^\d{1,15}(\.\d{1,9})?$/;
const MAX_MEDIA_FILES = 16;
const MAX_EVENTS = 10_000;

/**
 * Reads a screen-recording registration in either shape (compat.md §4): the recording exactly as
 * `GET …/screen-recordings/{id}` returns it — `size`/`duration` as strings, the file in `mediaDescriptor`
 * (or `originalMediaDescriptor`) as `data.storagePath` (the folder) + `path` (the file), `parameters` —
 * or the flat one of api.md (`path`, numbers). Fields the server derives (`mediaUri`, `mediaPath`, `state`, …)
 * are ignored. Every refusal names the field: `Parameter 'mediaFiles[0].size' is invalid: …`.
 */
export function parseScreenRecordingRegistration(body: unknown): ScreenRecordingRegistration {
  if (!isJson(body)) throw new InvalidParameterException('body', 'a JSON object is expected (Content-Type: application/json)');
  const id = optionalText(body, 'id', 'id', 64);
  if (id !== undefined && !isUuid(id)) throw new InvalidParameterException('id', 'must be a UUID');
  if (!Array.isArray(body.mediaFiles) || body.mediaFiles.length === 0) throw new InvalidParameterException('mediaFiles', 'must be a non-empty array');
  if (body.mediaFiles.length > MAX_MEDIA_FILES) throw new InvalidParameterException('mediaFiles', `must have at most ${MAX_MEDIA_FILES} entries`);
  const mediaFiles = body.mediaFiles.map((m, i) => parseMedia(m, `mediaFiles[${i}]`));
  const seen = new Set<string>();
  mediaFiles.forEach((m, i) => {
    if (seen.has(m.mediaId)) throw new InvalidParameterException(`mediaFiles[${i}].mediaId`, `duplicates mediaFiles with mediaId '${m.mediaId}'`);
    seen.add(m.mediaId);
  });
  const callUuid = optionalText(body, 'callUuid', 'callUuid', 64) ?? optionalText(body, 'callUUID', 'callUUID', 64);
  if (callUuid !== undefined && !/^\S{1,64}$/.test(callUuid)) throw new InvalidParameterException('callUuid', 'must be 1 to 64 non-space characters');
  let eventHistory: Json[] | undefined;
  if (body.eventHistory !== undefined) {
    if (!Array.isArray(body.eventHistory) || body.eventHistory.length > MAX_EVENTS || !body.eventHistory.every(isJson)) {
      throw new InvalidParameterException('eventHistory', `must be an array of at most ${MAX_EVENTS} objects`);
    }
    eventHistory = body.eventHistory;
  }
  return {
    id: id?.toLowerCase(),
    callUuid,
    connId: optionalText(body, 'connId', 'connId', 64),
    userName: optionalText(body, 'userName', 'userName', 255) ?? mediaFiles.map((m) => contactUserName(m.parameters)).find((u) => u !== undefined),
    agentId: optionalText(body, 'agentId', 'agentId', 255),
    startTime: optionalTime(body, 'startTime', 'startTime'),
    stopTime: optionalTime(body, 'stopTime', 'stopTime'),
    eventHistory,
    mediaFiles,
  };
}

function parseMedia(item: unknown, path: string): ScreenMediaRegistration {
  if (!isJson(item)) throw new InvalidParameterException(path, 'must be an object');
  const mediaId = requireText(item, 'mediaId', `${path}.mediaId`, 200);
  if (!MEDIA_ID.test(mediaId)) throw new InvalidParameterException(`${path}.mediaId`, 'must be 1 to 200 letters, digits or ._-');
  const type = requireText(item, 'type', `${path}.type`, 100);
  if (!MEDIA_TYPE.test(type)) throw new InvalidParameterException(`${path}.type`, 'must be a media type such as video/mp4');
  const size = decimal(item.size, `${path}.size`);
  if (size === undefined) throw new InvalidParameterException(`${path}.size`, 'is mandatory');
  if (!Number.isSafeInteger(size) || size < 1) throw new InvalidParameterException(`${path}.size`, 'must be a whole number of bytes, at least 1');
  const sha256 = optionalText(item, 'sha256', `${path}.sha256`, 64);
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) throw new InvalidParameterException(`${path}.sha256`, 'must be a lower-case hex SHA-256');
  if (item.parameters !== undefined && !isJson(item.parameters)) throw new InvalidParameterException(`${path}.parameters`, 'must be an object');
  const parameters = item.parameters as Json | undefined;
  if (parameters?.muxed_mediaIds !== undefined) {
    const ids = parameters.muxed_mediaIds;
    if (!Array.isArray(ids) || ids.length > 64 || !ids.every((v) => typeof v === 'string' && v.length <= 512)) {
      throw new InvalidParameterException(`${path}.parameters.muxed_mediaIds`, 'must be an array of media ids');
    }
  }
  if (item.integrity !== undefined && !isJson(item.integrity)) throw new InvalidParameterException(`${path}.integrity`, 'must be an object');
  return {
    mediaId,
    type,
    size,
    duration: decimal(item.duration, `${path}.duration`),
    startTime: requireTime(item, 'startTime', `${path}.startTime`),
    stopTime: requireTime(item, 'stopTime', `${path}.stopTime`),
    ...locationOf(item, path),
    sha256,
    pkcs7: optionalText(item, 'pkcs7', `${path}.pkcs7`, 65_536),
    integrity: item.integrity as Record<string, unknown> | undefined,
    parameters,
  };
}

/** The file's location: a descriptor's folder (`data.storagePath`) and file (`path`), or the flat `path`. */
function locationOf(media: Json, path: string): { location: string; locationField: string } {
  const name = media.mediaDescriptor !== undefined ? 'mediaDescriptor' : media.originalMediaDescriptor !== undefined ? 'originalMediaDescriptor' : undefined;
  if (!name) {
    if (media.path === undefined) throw new InvalidParameterException(`${path}.mediaDescriptor`, 'is mandatory: {storage, path, data:{storagePath}} naming the stored file');
    return { location: requireText(media, 'path', `${path}.path`, 2000), locationField: `${path}.path` };
  }
  const descriptor = media[name];
  if (!isJson(descriptor)) throw new InvalidParameterException(`${path}.${name}`, 'must be an object');
  const file = requireText(descriptor, 'path', `${path}.${name}.path`, 2000);
  const data = descriptor.data;
  if (data !== undefined && !isJson(data)) throw new InvalidParameterException(`${path}.${name}.data`, 'must be an object');
  const folder = data ? optionalText(data, 'storagePath', `${path}.${name}.data.storagePath`, 2000) : undefined;
  // A descriptor whose path is already absolute (an older RWS wrote the file URL there) stands on its own.
  const absolute = /^https?:\/\//i.test(file) || !folder;
  return { location: absolute ? file : `${folder.replace(/\/+$/, '')}/${file.replace(/^\/+/, '')}`, locationField: `${path}.${name}.path` };
}

function contactUserName(parameters: Json | undefined): string | undefined {
  const contact = parameters?.contact;
  return isJson(contact) && typeof contact.userName === 'string' && contact.userName !== '' ? contact.userName : undefined;
}

/** A number, or a decimal number written as a string (`"300012"`, `"20.5"`), as GET returns them. */
function decimal(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  throw new InvalidParameterException(path, 'must be a non-negative number, or a string holding one (e.g. "300012")');
}

function requireText(obj: Json, name: string, path: string, max: number): string {
  const value = optionalText(obj, name, path, max);
  if (value === undefined || value === '') throw new InvalidParameterException(path, 'is mandatory');
  return value;
}

function optionalText(obj: Json, name: string, path: string, max: number): string | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidParameterException(path, 'must be a string');
  if (value.length > max) throw new InvalidParameterException(path, `must be at most ${max} characters`);
  return value;
}

function requireTime(obj: Json, name: string, path: string): string {
  const value = optionalTime(obj, name, path);
  if (value === undefined) throw new InvalidParameterException(path, 'is mandatory');
  return value;
}

function optionalTime(obj: Json, name: string, path: string): string | undefined {
  const text = optionalText(obj, name, path, 64);
  if (text === undefined) return undefined;
  const parsed = parseTimestamp(text);
  if (!parsed) throw new InvalidParameterException(path, 'must be an ISO-8601 timestamp such as 2026-11-20T10:00:00.000+0000');
  return parsed.toISOString();
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
