import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { DomainEvents } from '../common/events/domain-events';
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
import { ScreenMediaFile, ScreenMissingReason, ScreenRecording } from './screen-recording';
import { ScreenRecordingStore } from './screen-recording.store';
import { ScreenRecordingNotFoundException } from './screen-recordings.exception';
import { RwsException } from '../common/errors/rws.exception';
import { isUuid } from '../contact-centers/contact-centers.service';
import { randomUUID } from 'node:crypto';
import { CreateScreenRecordingDto } from './screen-recordings.dto';
import { ErrorCode } from '../common/errors/error-code';

/** Filters of `GET /api/v2/screen-recordings`. */
export interface ScreenRecordingSearch {
  callUuid?: string;
  userName?: string;
  startTime?: string;
  endTime?: string;
  limit?: string;
  pageToken?: string;
}

/** What RWS knows when a recorder is told to start. */
export interface ScreenRecordingStart {
  recordingId: string;
  ccid: string;
  userName: string;
  agentId?: string;
  agentHierarchy?: string;
  callUuid: string;
  connId: string;
  partitions?: string[];
  at: string;
}

/** Reads, searches and lifecycle of screen recordings; every read of someone's recording is audited. */
@Injectable()
export class ScreenRecordingsService implements OnModuleDestroy {
  private readonly logger = new Logger('ScreenRecordings');
  /** Stopped recordings waiting for their upload, by id: at the end of the grace period they become missing. */
  private readonly awaitingUpload = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
    private readonly storage: RecordingStorage,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLog,
    private readonly deletes: MediaDeleteQueue,
    private readonly tokens: ScreenSearchPageTokens,
    @Optional() private readonly events?: DomainEvents,
  ) {}

  /** Creates the recording when RWS tells a recorder to start (its id is the command's recordingId). */
  async started(start: ScreenRecordingStart): Promise<void> {
    const now = new Date().toISOString();
    await this.store.create({
      id: start.recordingId,
      ccid: start.ccid,
      region: this.config.region,
      userName: start.userName,
      agentId: start.agentId,
      agentHierarchy: start.agentHierarchy,
      partitions: start.partitions,
      callUuid: start.callUuid,
      connId: start.connId,
      startTime: start.at,
      state: 'recording',
      mediaFiles: [],
      nonDelete: false,
      createdAt: now,
      updatedAt: now,
    });
  }

  /**
   * Records a screen recording whose media a service (e.g. a muxer) already wrote to RWS's recording storage.
   * Every media file must exist there: RWS never lists media it cannot serve.
   */
  async createStored(principal: Principal, ccid: string, body: CreateScreenRecordingDto): Promise<ScreenRecording> {
    const id = body.id?.toLowerCase() ?? randomUUID();
    const mediaFiles: ScreenMediaFile[] = [];
    for (const [index, m] of body.mediaFiles.entries()) {
      const field = `mediaFiles[${index}].path`;
      const key = this.storageKeyOf(m.path);
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
        duration: m.duration,
        startTime: new Date(m.startTime).toISOString(),
        stopTime: new Date(m.stopTime).toISOString(),
        sha256: m.sha256 ?? '',
        storageKey: key,
        storagePath: m.path,
        ...(m.pkcs7 ? { pkcs7: m.pkcs7 } : {}),
        ...(m.integrity ? { integrity: m.integrity } : {}),
      });
    }
    const now = new Date().toISOString();
    const recording: ScreenRecording = {
      id,
      ccid,
      region: this.config.region,
      userName: body.userName,
      agentId: body.agentId,
      callUuid: body.callUuid,
      connId: body.connId ?? '',
      startTime: new Date(body.startTime).toISOString(),
      stopTime: body.stopTime ? new Date(body.stopTime).toISOString() : undefined,
      state: 'stored',
      mediaFiles,
      nonDelete: false,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.store.create(recording))) throw new RwsException(ErrorCode.Conflict, `Screen recording [${recording.id}] exists already.`);
    await this.audit.record({ actor: principal, action: 'create', outcome: 'success', ccid, objectType: 'screenRecording', objectId: recording.id });
    await this.events
      ?.publish({ type: 'screenRecording.stored', ccid, data: { screenRecordingId: recording.id, callUuid: recording.callUuid, mediaId: mediaFiles[0]?.mediaId } })
      .catch((err: Error) => this.logger.error({ msg: 'lifecycle event lost', type: 'screenRecording.stored', error: err.message }));
    return recording;
  }

  /**
   * Follows pause/resume/stop; a stored recording keeps its state. A stop starts the upload grace period
   * (`RWS_SCREEN_UPLOAD_GRACE_SECONDS`): still without media at its end, the recording becomes `missing`.
   */
  async stateChanged(ccid: string, id: string, state: 'recording' | 'paused' | 'stopped', at: string, userName?: string): Promise<void> {
    if (!isUuid(id)) return;
    const written = await this.store.modify(ccid, id, (recording) =>
      // Stored, failed, missing and stopped are final for the recorder's states: a late pause must not reopen a stop.
      (recording.state === 'recording' || recording.state === 'paused') && (userName === undefined || recording.userName === userName)
        ? { ...recording, state, stopTime: state === 'stopped' ? at : recording.stopTime, updatedAt: new Date().toISOString() }
        : undefined,
    );
    if (written?.state === 'stopped') this.awaitUpload(ccid, id);
  }

  /**
   * The recording ended without media: no recorder was connected to record it, or its recorder never uploaded.
   * Never playable; listed as `missing` with the reason (a recording that got media meanwhile keeps it).
   */
  async missing(ccid: string, id: string, reason: ScreenMissingReason, at: string): Promise<void> {
    await this.store.modify(ccid, id, (recording) =>
      (recording.state === 'recording' || recording.state === 'paused' || recording.state === 'stopped') && recording.mediaFiles.length === 0
        ? { ...recording, state: 'missing', missingReason: reason, stopTime: recording.stopTime ?? at, updatedAt: new Date().toISOString() }
        : undefined,
    );
  }

  /**
   * In-process timer (a restart forgets it: the recording then stays `stopped`, which is not playable either;
   * a detector over the store would catch those).
   */
  private awaitUpload(ccid: string, id: string): void {
    if (this.awaitingUpload.has(id)) return;
    const timer = setTimeout(() => {
      this.awaitingUpload.delete(id);
      this.missing(ccid, id, 'recorder-never-uploaded', new Date().toISOString()).catch((err: unknown) =>
        this.logger.warn({ msg: 'could not mark a screen recording missing', recordingId: id, error: (err as Error)?.message ?? String(err) }),
      );
    }, this.config.recorders.uploadGraceMs);
    timer.unref();
    this.awaitingUpload.set(id, timer);
  }

  onModuleDestroy(): void {
    for (const timer of this.awaitingUpload.values()) clearTimeout(timer);
    this.awaitingUpload.clear();
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
    if (!filters.callUuid && !filters.userName && !filters.startTime && !filters.endTime) {
      throw new InvalidParameterException('callUuid', 'at least one of callUuid, userName, startTime or endTime is required');
    }
    const limit = filters.limit === undefined ? 100 : Number(filters.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidParameterException('limit', 'an integer from 1 to 1000');
    const startTime = optionalTime('startTime', filters.startTime);
    const endTime = optionalTime('endTime', filters.endTime);
    const query = { ccid, region: this.config.region, callUuid: filters.callUuid, userName: filters.userName, startTime, endTime };
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
