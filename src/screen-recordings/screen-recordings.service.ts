import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScreenEventOutbox, withEvent } from './screen-event-outbox';
import { ScreenRecordingLifecycle, ScreenRecordingStart } from './screen-recording-lifecycle';
import { ownsStorageKey, requireRegistrableKey } from './screen-media-ownership';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { parseTimestamp } from '../common/rws-time';
import { AccessPolicy } from '../identity/access/access-policy';
import { searchDigest } from '../recordings/search/page-token';
import { ScreenSearchPageTokens } from './screen-search-page-tokens';
import { AuditLog } from '../identity/audit/audit-log.service';
import type { Principal } from '../identity/principal';
import { MediaDeleteQueue } from '../storage/media-deletes/media-delete-queue';
import { RecordingStorage, StorageRead } from '../storage/recording-storage';
import { ByteRange } from '../common/http/byte-range';
import { ScreenMediaFile, ScreenMissingReason, ScreenRecording, ScreenRecordingState } from './screen-recording';
import { ScreenRecordingStore } from './screen-recording.store';
import { ScreenRecordingNotFoundException } from './screen-recordings.exception';
import { RwsException } from '../common/errors/rws.exception';
import { isUuid } from '../contact-centers/contact-centers.service';
import { randomUUID } from 'node:crypto';
import { ScreenRecordingRegistration } from './screen-recording-registration';
import { ErrorCode } from '../common/errors/error-code';

/** Filters of `GET /api/v2/screen-recordings`. */
export interface ScreenRecordingSearch {
  callUuid?: string;
  userName?: string;
  startTime?: string;
  endTime?: string;
  /** Only recordings in this state (e.g. `missing`). */
  state?: string;
  limit?: string;
  pageToken?: string;
}

const STATES: readonly ScreenRecordingState[] = ['recording', 'paused', 'stopped', 'stored', 'failed', 'missing'];

export type { ScreenRecordingStart } from './screen-recording-lifecycle';

/** Reads, searches and lifecycle of screen recordings; every read of someone's recording is audited. */
@Injectable()
export class ScreenRecordingsService {
  private readonly logger = new Logger('ScreenRecordings');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
    private readonly storage: RecordingStorage,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLog,
    private readonly deletes: MediaDeleteQueue,
    private readonly tokens: ScreenSearchPageTokens,
    private readonly lifecycle: ScreenRecordingLifecycle,
    private readonly outbox: ScreenEventOutbox,
  ) {}

  /** Creates the recording when RWS tells a recorder to start (its id is the command's recordingId). */
  started(start: ScreenRecordingStart): Promise<void> {
    return this.lifecycle.started(start);
  }

  /** Follows pause/resume/stop (ScreenRecordingLifecycle). */
  async stateChanged(ccid: string, id: string, state: 'recording' | 'paused' | 'stopped', at: string, userName?: string): Promise<void> {
    await this.lifecycle.stateChanged(ccid, id, state, at, userName);
  }

  /** The recording ended without media (ScreenRecordingLifecycle). */
  async missing(ccid: string, id: string, reason: ScreenMissingReason, at: string): Promise<void> {
    await this.lifecycle.missing(ccid, id, reason, at);
  }

  /**
   * Records media a service (e.g. the Recording Muxer) already wrote to RWS's recording storage: as a new
   * screen recording, or, when `id` names an existing one of this contact center, added to it (the muxer
   * posts back the recording it read, with the muxed file). Every media file must exist in storage: RWS never
   * lists media it cannot serve. Posting the same registration again changes nothing.
   */
  async register(principal: Principal, ccid: string, registration: ScreenRecordingRegistration): Promise<ScreenRecording> {
    const id = registration.id ?? randomUUID();
    const mediaFiles: ScreenMediaFile[] = [];
    for (const m of registration.mediaFiles) {
      const field = m.locationField;
      const key = this.storageKeyOf(m.location);
      if (!key) throw new InvalidParameterException(field, "not a key of this node's recording storage");
      // Ownership before existence: another contact center's or recording's object is refused as such, unread.
      requireRegistrableKey(ccid, id, key, field);
      // A storage outage propagates (503 with Retry-After); only a real absence is the client's mistake.
      const stored = await this.storage.stat(key);
      if (!stored) throw new InvalidParameterException(field, 'no such object in the recording storage');
      mediaFiles.push({
        mediaId: m.mediaId,
        type: m.type,
        size: m.size,
        ...(m.duration !== undefined ? { duration: m.duration } : {}),
        startTime: m.startTime,
        stopTime: m.stopTime,
        sha256: m.sha256 ?? '',
        storageKey: key,
        storagePath: m.location,
        ...(m.pkcs7 ? { pkcs7: m.pkcs7 } : {}),
        ...(m.integrity ? { integrity: m.integrity } : {}),
        ...(m.parameters ? { parameters: m.parameters } : {}),
      });
    }
    const existing = registration.id ? await this.store.get(ccid, registration.id) : undefined;
    if (existing) return this.addMedia(principal, existing, mediaFiles, registration.eventHistory ?? []);
    if (!registration.callUuid) throw new InvalidParameterException('callUuid', 'is mandatory for a new screen recording (to add media to one, name its id)');
    if (!registration.userName) throw new InvalidParameterException('userName', 'is mandatory for a new screen recording (or parameters.contact.userName of a media file)');
    const now = new Date().toISOString();
    const recording: ScreenRecording = withEvent(
      {
      id,
      ccid,
      region: this.config.region,
      userName: registration.userName,
      agentId: registration.agentId,
      callUuid: registration.callUuid,
      connId: registration.connId ?? '',
      startTime: registration.startTime ?? earliest(mediaFiles.map((m) => m.startTime)),
      stopTime: registration.stopTime ?? latest(mediaFiles.map((m) => m.stopTime)),
      state: 'stored',
      eventHistory: registration.eventHistory ?? [],
      mediaFiles,
      nonDelete: false,
      createdAt: now,
      updatedAt: now,
      },
      'stored',
      now,
      { mediaId: mediaFiles[0]?.mediaId },
    );
    if (!(await this.store.create(recording))) throw new RwsException(ErrorCode.Conflict, `Screen recording [${recording.id}] exists already.`);
    await this.audit.record({ actor: principal, action: 'create', outcome: 'success', ccid, objectType: 'screenRecording', objectId: recording.id });
    void this.outbox.relay(recording);
    return recording;
  }

  /**
   * Adds media files (by mediaId; the same file again is no change, another file under a taken mediaId is a
   * conflict) and events to an existing recording, in one compare-and-set against concurrent writers.
   */
  private async addMedia(principal: Principal, existing: ScreenRecording, incoming: ScreenMediaFile[], events: Record<string, unknown>[]): Promise<ScreenRecording> {
    let added: ScreenMediaFile[] = [];
    const changed = await this.store.modify(existing.ccid, existing.id, (current) => {
      for (const media of incoming) {
        const same = current.mediaFiles.find((m) => m.mediaId === media.mediaId);
        if (same && (same.storageKey !== media.storageKey || same.size !== media.size)) {
          throw new RwsException(ErrorCode.Conflict, `Screen recording [${current.id}] already holds media [${media.mediaId}] with other content.`);
        }
      }
      added = incoming.filter((m) => !current.mediaFiles.some((c) => c.mediaId === m.mediaId));
      const eventHistory = unionOf(current.eventHistory ?? [], events);
      if (added.length === 0 && eventHistory.length === (current.eventHistory ?? []).length) return undefined;
      return { ...current, mediaFiles: [...current.mediaFiles, ...added], eventHistory, updatedAt: new Date().toISOString() };
    });
    if (!changed) return (await this.store.get(existing.ccid, existing.id)) ?? existing;
    const detail = `added=${added.map((m) => m.mediaId).join(',')}`;
    await this.audit.record({ actor: principal, action: 'create', outcome: 'success', ccid: existing.ccid, objectType: 'screenMedia', objectId: existing.id, detail });
    return changed;
  }

  /** One recording the caller may see (404 otherwise, the same as a missing id). */
  async get(principal: Principal, id: string, routeCcid?: string, source?: string): Promise<ScreenRecording> {
    const visible = await this.findVisible(principal, id, routeCcid);
    await this.audit.record({ actor: principal, action: 'read', outcome: visible ? 'success' : 'denied', ccid: routeCcid ?? principal.ccid, objectType: 'screenRecording', objectId: id, source });
    if (!visible) throw new ScreenRecordingNotFoundException(id);
    return visible;
  }

  private async findVisible(principal: Principal, id: string, routeCcid?: string): Promise<ScreenRecording | undefined> {
    const ccid = routeCcid ?? principal.ccid;
    const recording = ccid && isUuid(id) ? await this.store.get(ccid.toLowerCase(), id.toLowerCase()) : undefined;
    return recording && this.access.canSeeRecording(principal, recording, routeCcid) ? recording : undefined;
  }

  /**
   * One page of a search: the caller's access is part of the query (each store applies it while walking), so
   * a page is full whenever enough visible recordings exist; `nextPageToken` (signed, bound to these filters)
   * continues it, and no result is ever dropped silently.
   */
  async search(principal: Principal, filters: ScreenRecordingSearch, routeCcid?: string, source?: string): Promise<{ recordings: ScreenRecording[]; nextPageToken?: string }> {
    const scope = this.access.searchScope(principal, routeCcid);
    const ccid = scope.kind === 'contactCenter' || scope.kind === 'restricted' ? scope.ccid : routeCcid;
    if (!filters.callUuid && !filters.userName && !filters.startTime && !filters.endTime && !filters.state) {
      throw new InvalidParameterException('callUuid', 'at least one of callUuid, userName, startTime, endTime or state is required');
    }
    const state = filters.state as ScreenRecordingState | undefined;
    if (state !== undefined && !STATES.includes(state)) throw new InvalidParameterException('state', `one of ${STATES.join(', ')}`);
    const limit = filters.limit === undefined ? 100 : Number(filters.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidParameterException('limit', 'an integer from 1 to 1000');
    const startTime = optionalTime('startTime', filters.startTime);
    const endTime = optionalTime('endTime', filters.endTime);
    const query = { ccid, region: this.config.region, callUuid: filters.callUuid, userName: filters.userName, startTime, endTime, state };
    // Tokens are bound to the search (screen, contact center, region, filters) and to the caller's access.
    const digest = searchDigest({ kind: 'screen', ...query, scope });
    const after = filters.pageToken ? this.tokens.verify(filters.pageToken, digest) : undefined;
    const page = scope.kind === 'none' || !ccid ? { recordings: [] } : await this.store.search({ ...query, ccid, scope, after, limit });
    await this.audit.record({ actor: principal, action: 'search', outcome: 'success', ccid, objectType: 'screenRecording', detail: summarize(filters, page.recordings.length), source });
    return { recordings: page.recordings, nextPageToken: page.resumeAfter ? this.tokens.sign(page.resumeAfter, digest) : undefined };
  }

  /** The stored bytes of one media file (ciphertext when encrypted): downloads by service clients, or the source of playback. */
  async openStoredMedia(
    principal: Principal,
    id: string,
    mediaId: string,
    routeCcid: string | undefined,
    source?: string,
    action: 'download' | 'play' = 'download',
  ): Promise<{ recording: ScreenRecording; media: ScreenMediaFile; size: number; read: (r?: ByteRange) => Promise<StorageRead> }> {
    this.access.requireOperation(principal, action);
    // One audit entry per play or download (with its outcome), written while storage is asked for the size.
    const { recording, media, audited } = await this.findMedia(principal, id, mediaId, routeCcid, source, action);
    const [stored] = await Promise.all([this.storage.stat(media.storageKey), audited]);
    if (!stored) throw new ScreenRecordingNotFoundException(`${id}/${mediaId}`);
    return { recording, media, size: stored.size, read: (r) => this.storage.read(media.storageKey, r) };
  }

  /**
   * The media file a caller asks for, when the caller may see the recording (404 otherwise, audited as
   * denied). On success the audit entry is being written when this returns: `audited` settles once it is
   * durable, and the caller serves nothing before (it may meanwhile prepare, e.g. unwrap a key).
   */
  async findMedia(
    principal: Principal,
    id: string,
    mediaId: string,
    routeCcid: string | undefined,
    source?: string,
    action: 'download' | 'play' = 'play',
  ): Promise<{ recording: ScreenRecording; media: ScreenMediaFile; audited: Promise<void> }> {
    const recording = await this.findVisible(principal, id, routeCcid);
    const media = recording?.mediaFiles.find((m) => m.mediaId === mediaId);
    const audit = (outcome: 'success' | 'denied') =>
      this.audit.record({ actor: principal, action, outcome, ccid: routeCcid ?? principal.ccid, objectType: 'screenMedia', objectId: `${id}/${mediaId}`, source });
    if (!recording || !media) {
      await audit('denied');
      throw new ScreenRecordingNotFoundException(`${id}/${mediaId}`);
    }
    const audited = audit('success').then(() => undefined);
    // Observed here: a caller that fails first (and never awaits it) must not leave an unhandled rejection.
    audited.catch(() => undefined);
    return { recording, media, audited };
  }

  /** The storage key of a media path: a key as is, or an absolute URL under this node's WebDAV storage. */
  private storageKeyOf(path: string): string | undefined {
    if (!/^https?:\/\//i.test(path)) return path.replace(/^\/+/, '');
    const base = this.config.webdav?.url.replace(/\/?$/, '/');
    return base && path.startsWith(base) ? decodeURIComponent(path.slice(base.length)) : undefined;
  }

  /** Removes one media file (media first, then metadata); refused under legal hold. */
  async deleteMedia(principal: Principal, id: string, mediaId: string, routeCcid: string, source?: string): Promise<void> {
    this.access.requireOperation(principal, 'delete');
    const recording = await this.get(principal, id, routeCcid, source);
    const media = recording.mediaFiles.find((m) => m.mediaId === mediaId);
    if (!media) throw new ScreenRecordingNotFoundException(`${id}/${mediaId}`);
    const underHold = () => new RwsException(ErrorCode.Conflict, `Screen recording [${id}] is under non-delete and cannot be deleted.`);
    const refuse = async () => {
      await this.audit.record({ actor: principal, action: 'delete', outcome: 'denied', ccid: recording.ccid, objectType: 'screenMedia', objectId: `${id}/${mediaId}`, detail: 'non-delete applies', source });
      return underHold();
    };
    if (recording.nonDelete) throw await refuse();
    // Metadata first, guarded by the hold at the moment of writing (a hold applied meanwhile wins).
    let heldMeanwhile = false;
    await this.store.modify(recording.ccid, id, (current) => {
      heldMeanwhile = current.nonDelete;
      return heldMeanwhile ? undefined : { ...current, mediaFiles: current.mediaFiles.filter((m) => m.mediaId !== mediaId), updatedAt: new Date().toISOString() };
    });
    if (heldMeanwhile) throw await refuse();
    if (ownsStorageKey(recording.ccid, recording.id, media.storageKey)) {
      // Deleted now, or queued and retried while storage is unreachable.
      await this.deletes.deleteOrQueue(recording.ccid, { kind: 'storage', key: media.storageKey }, { recordingId: id, actor: principal });
    } else {
      // Registered before ownership was enforced: the object may be another recording's, so it stays.
      this.logger.warn({ msg: 'media object left in place: not in the recording’s own folder', ccid: recording.ccid, recordingId: id, mediaId });
    }
    await this.audit.record({ actor: principal, action: 'delete', outcome: 'success', ccid: recording.ccid, objectType: 'screenMedia', objectId: `${id}/${mediaId}`, source });
  }

  /** Legal hold on every screen recording of a call (voice applyNonDelete covers them). */
  async setNonDeleteForCall(ccid: string, callUuid: string, nonDelete: boolean): Promise<number> {
    const recordings = await this.store.listByCall(ccid, callUuid);
    for (const r of recordings) await this.store.modify(ccid, r.id, (current) => ({ ...current, nonDelete, updatedAt: new Date().toISOString() }));
    return recordings.length;
  }

  /** The screen recordings of voice calls, for the voice recordings' `screenRecordings` (a page at once). */
  listForCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]> {
    return callUuids.length === 0 ? Promise.resolve([]) : this.store.listByCalls(ccid, callUuids);
  }
}

function earliest(times: string[]): string {
  return times.reduce((a, b) => (b < a ? b : a));
}

function latest(times: string[]): string {
  return times.reduce((a, b) => (b > a ? b : a));
}

/** Events of both lists, each once (compared by content), in time order. */
function unionOf(current: Record<string, unknown>[], incoming: Record<string, unknown>[]): Record<string, unknown>[] {
  const byContent = new Map(current.map((e) => [JSON.stringify(e), e]));
  for (const event of incoming) if (!byContent.has(JSON.stringify(event))) byContent.set(JSON.stringify(event), event);
  if (byContent.size === current.length) return current;
  return [...byContent.values()].sort((a, b) => String(a.occurredAt ?? '').localeCompare(String(b.occurredAt ?? '')));
}

function optionalTime(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseTimestamp(value);
  if (!parsed) throw new InvalidParameterException(name, 'an ISO-8601 timestamp is required');
  return parsed.toISOString();
}

function summarize(filters: ScreenRecordingSearch, count: number): string {
  const keys = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k)
    .join(',');
  return `filters=${keys} results=${count}`;
}
