import { InvalidParameterException } from '../common/errors/rws.exception';
import { isObject } from './recording-facts';
import { normalizeRwsTimestamp } from '../common/rws-time';
import { JsonObject, RECORDING_ID_PATTERN, RecordingInsert } from './voice-recording';

const MAX_MEDIA_FILES = 1000;
/** Fields the server assigns or derives on returned media files; never taken from a post. */
const SERVER_MEDIA_FIELDS = ['mediaFileId', 'mediaUri', 'mediaPath', 'playPath', 'originalMediaDescriptor'];
const MAX_EVENTS = 10_000;
const MAX_TEXT = 4096;
/** `duration` and `size` are decimal numbers written as JSON strings (`"38.376"`, `"153504"`). */
const DECIMAL_TEXT = /^\d{1,18}(\.\d{1,9})?$/;

/**
 * Checks an insert document of the Recording Processor (api.md §2) and returns it with timestamps in the
 * canonical form. Every refusal names the first offending field: `Parameter 'mediaFiles[0].mediaId' is invalid: …`.
 * Fields it does not know are kept untouched.
 */
export function parseInsertDocument(body: unknown, pathCcid: string): RecordingInsert {
  if (!isObject(body)) throw new InvalidParameterException('body', 'a JSON object is expected (Content-Type: application/json)');
  const doc: JsonObject = { ...body };
  delete doc.screenRecordings;
  const id = requireString(doc, 'id', 'id');
  if (!RECORDING_ID_PATTERN.test(id)) throw new InvalidParameterException('id', 'must be 1 to 128 letters, digits or ._:@- (not dots only)');
  if (doc.ccid !== undefined) {
    if (typeof doc.ccid !== 'string') throw new InvalidParameterException('ccid', 'must be a string');
    if (doc.ccid.toLowerCase() !== pathCcid) throw new InvalidParameterException('ccid', `does not match the contact center of the path (${pathCcid})`);
  }
  doc.ccid = pathCcid;
  const region = requireString(doc, 'region', 'region');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(region)) throw new InvalidParameterException('region', 'must be 1 to 64 letters, digits, "-" or "_"');
  requireString(doc, 'callerPhoneNumber', 'callerPhoneNumber', true);
  requireString(doc, 'dialedPhoneNumber', 'dialedPhoneNumber', true);
  optionalString(doc, 'callType', 'callType');
  normalizeTime(doc, 'startTime', 'startTime');
  normalizeTime(doc, 'stopTime', 'stopTime');
  checkTimeOrder(doc, '');
  optionalStringArray(doc, 'partitions', 'partitions');
  optionalStringArray(doc, 'labels', 'labels');
  if (doc.nonDelete !== undefined && typeof doc.nonDelete !== 'boolean') throw new InvalidParameterException('nonDelete', 'must be a boolean');

  const mediaFiles = requireArray(doc, 'mediaFiles', 'mediaFiles', MAX_MEDIA_FILES);
  const seen = new Set<string>();
  doc.mediaFiles = mediaFiles.map((item, i) => {
    const media = parseMediaFile(item, `mediaFiles[${i}]`);
    if (seen.has(media.mediaId)) throw new InvalidParameterException(`mediaFiles[${i}].mediaId`, `duplicates mediaFiles with mediaId '${media.mediaId}'`);
    seen.add(media.mediaId);
    return media;
  });
  const events = requireArray(doc, 'eventHistory', 'eventHistory', MAX_EVENTS);
  doc.eventHistory = events.map((item, i) => parseEvent(item, `eventHistory[${i}]`));
  return doc as RecordingInsert;
}

function parseMediaFile(item: unknown, path: string): JsonObject & { mediaId: string } {
  if (!isObject(item)) throw new InvalidParameterException(path, 'must be an object');
  const media: JsonObject = { ...item };
  const mediaId = requireString(media, 'mediaId', `${path}.mediaId`);
  if (mediaId.length > 512) throw new InvalidParameterException(`${path}.mediaId`, 'must be at most 512 characters');
  // What the server adds to returned recordings is dropped, so a recording read back can be posted again.
  for (const name of SERVER_MEDIA_FIELDS) delete media[name];
  for (const name of ['type', 'callUUID', 'tenant', 'ivrprofile', 'pkcs7']) optionalString(media, name, `${path}.${name}`, name === 'pkcs7' ? 65_536 : MAX_TEXT);
  normalizeTime(media, 'startTime', `${path}.startTime`);
  normalizeTime(media, 'stopTime', `${path}.stopTime`);
  checkTimeOrder(media, `${path}.`);
  for (const name of ['duration', 'size']) {
    const value = media[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new InvalidParameterException(`${path}.${name}`, `must be a string holding a decimal number (e.g. "${name === 'size' ? '153504' : '38.376'}")`);
    if (!DECIMAL_TEXT.test(value)) throw new InvalidParameterException(`${path}.${name}`, 'must hold a non-negative decimal number');
  }
  for (const name of ['parameters', 'mediaDescriptor']) {
    if (media[name] !== undefined && !isObject(media[name])) throw new InvalidParameterException(`${path}.${name}`, 'must be an object');
  }
  if (isObject(media.parameters)) {
    for (const name of ['agentId', 'userName', 'username', 'connId', 'GRECORD_PARTITIONS']) {
      optionalString(media.parameters, name, `${path}.parameters.${name}`);
    }
  }
  if (isObject(media.mediaDescriptor)) {
    optionalString(media.mediaDescriptor, 'storage', `${path}.mediaDescriptor.storage`);
    optionalString(media.mediaDescriptor, 'path', `${path}.mediaDescriptor.path`);
  }
  optionalStringArray(media, 'accessgroups', `${path}.accessgroups`);
  optionalStringArray(media, 'partitions', `${path}.partitions`);
  return media as JsonObject & { mediaId: string };
}

function parseEvent(item: unknown, path: string): JsonObject {
  if (!isObject(item)) throw new InvalidParameterException(path, 'must be an object');
  const event: JsonObject = { ...item };
  normalizeTime(event, 'occurredAt', `${path}.occurredAt`);
  optionalString(event, 'calluuid', `${path}.calluuid`);
  optionalString(event, 'event', `${path}.event`);
  if (event.contact !== undefined) {
    if (!isObject(event.contact)) throw new InvalidParameterException(`${path}.contact`, 'must be an object');
    for (const name of ['agentId', 'userName', 'phoneNumber', 'type']) optionalString(event.contact, name, `${path}.contact.${name}`);
  }
  return event;
}

function requireString(obj: JsonObject, name: string, path: string, allowEmpty = false): string {
  const value = obj[name];
  if (value === undefined || value === null) throw new InvalidParameterException(path, 'is mandatory');
  if (typeof value !== 'string') throw new InvalidParameterException(path, 'must be a string');
  if (!allowEmpty && value.trim() === '') throw new InvalidParameterException(path, 'must not be empty');
  if (value.length > MAX_TEXT) throw new InvalidParameterException(path, `must be at most ${MAX_TEXT} characters`);
  return value;
}

function optionalString(obj: JsonObject, name: string, path: string, max = MAX_TEXT): void {
  const value = obj[name];
  if (value === undefined) return;
  if (typeof value !== 'string') throw new InvalidParameterException(path, 'must be a string');
  if (value.length > max) throw new InvalidParameterException(path, `must be at most ${max} characters`);
}

function optionalStringArray(obj: JsonObject, name: string, path: string): void {
  const value = obj[name];
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new InvalidParameterException(path, 'must be an array of strings');
  if (value.length > 1000) throw new InvalidParameterException(path, 'must have at most 1000 entries');
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw new InvalidParameterException(`${path}[${i}]`, 'must be a string');
    if (v.length > 1024) throw new InvalidParameterException(`${path}[${i}]`, 'must be at most 1024 characters');
  });
}

function requireArray(obj: JsonObject, name: string, path: string, max: number): unknown[] {
  const value = obj[name];
  if (value === undefined || value === null) throw new InvalidParameterException(path, 'is mandatory');
  if (!Array.isArray(value)) throw new InvalidParameterException(path, 'must be an array');
  if (value.length > max) throw new InvalidParameterException(path, `must have at most ${max} entries`);
  return value;
}

function normalizeTime(obj: JsonObject, name: string, path: string): void {
  const value = obj[name];
  if (value === undefined) return;
  const normalized = typeof value === 'string' ? normalizeRwsTimestamp(value) : undefined;
  if (normalized === undefined) {
    throw new InvalidParameterException(path, 'must be an ISO-8601 timestamp such as 2014-12-16T18:42:41.000+0000 (millis optional; Z, +0000 or +00:00)');
  }
  obj[name] = normalized;
}

function checkTimeOrder(obj: JsonObject, prefix: string): void {
  // Canonical timestamps (same width, UTC) compare correctly as text.
  if (typeof obj.startTime === 'string' && typeof obj.stopTime === 'string' && obj.stopTime < obj.startTime) {
    throw new InvalidParameterException(`${prefix}stopTime`, 'is before startTime');
  }
}
