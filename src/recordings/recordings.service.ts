import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainEvent, DomainEvents } from '../common/events/domain-events';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { FEATURE_SUPERVISOR_RECORDING } from '../contact-centers/contact-center';
import { AgentHierarchies } from './agent-hierarchies';
import { ContactCenterCache } from './contact-center-cache';
import { LinkedScreenRecordings } from './linked-screen-recordings';
import { accessScopeFrom, AccessScope, scopeAllows } from './recording-access';
import { AccessPolicy } from '../identity/access/access-policy';
import { RecordingAuditEvent, RecordingAuditSink } from './recording-audit';
import type { RecordingContext } from './recording-context';
import { factsOf, isObject } from './recording-facts';
import { VoiceMediaLocator } from './voice-media-locator';
import { resolveVoiceMedia, VoiceMediaLocation, VoiceStore } from './voice-media-location';
import { VoiceMediaOwnership } from './voice-media-ownership';
import { isOffLimitsKey } from './voice-media-node-storage';
import { parseInsertDocument } from './recording-insert.validation';
import { canonicalJson, mergeRecording } from './recording-merge';
import { RecordingStore } from './recording.store';
import { recordingView } from './recording-view';
import { RecordingFeatureDisabledException, RecordingNotFoundException, RecordingRegionConflictException, RecordingUnderNonDeleteException } from './recordings.exception';
import { PageTokenSigner, searchDigest } from './search/page-token';
import { parseSearchParams } from './search/search-params';
import { VoiceMediaRemover } from './voice-media-remover';
import { JsonObject, MAX_RECORDING_SPAN_MS, RecordingMediaFile, VoiceRecording } from './voice-recording';

/** Index entries one search request may examine before it returns what it has (with a page token). */
const MAX_SCAN_PER_REQUEST = 20_000;

/** The result of a search: a page of recordings and, when more may follow, the token of the next page. */
export interface SearchResult {
  recordings: JsonObject[];
  nextPageToken?: string;
}

/**
 * Use cases of voice recordings (api.md §2): the Recording Processor's idempotent insert, get, search,
 * delete. Region and access are checked here, in one place: a recording of another region, or one the
 * caller may not see, does not exist for the caller.
 */
@Injectable()
export class RecordingsService {
  private readonly logger = new Logger('Recordings');

  constructor(
    private readonly store: RecordingStore,
    private readonly contactCenters: ContactCenterCache,
    private readonly tokens: PageTokenSigner,
    private readonly audit: RecordingAuditSink,
    private readonly screenRecordings: LinkedScreenRecordings,
    private readonly media: VoiceMediaRemover,
    private readonly locator: VoiceMediaLocator,
    private readonly ownership: VoiceMediaOwnership,
    private readonly access: AccessPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hierarchies: AgentHierarchies,
    @Optional() private readonly events?: DomainEvents,
  ) {}

  /**
   * Inserts or merges one document of the Recording Processor; resolves once it is durable. A recording of
   * another region is stored with its region, as GWS does (compat.md §2): only nodes of that region serve
   * it (reads and searches compare the region), so nothing a processor sends is lost.
   */
  async insert(ccidParam: string, body: unknown): Promise<void> {
    const contactCenter = await this.contactCenters.require(ccidParam);
    const insert = parseInsertDocument(body, contactCenter.id);
    if (!contactCenter.features.includes(FEATURE_SUPERVISOR_RECORDING)) throw new RecordingFeatureDisabledException(contactCenter.id, 'api-supervisor-recording');
    await this.requireMediaInOwnStores(contactCenter.id, insert.id, insert.mediaFiles);
    let changed = false;
    await this.store.upsert(
      contactCenter.id,
      insert.id,
      (current) => {
        if (current && current.region !== insert.region) throw new RecordingRegionConflictException(insert.id, current.region);
        const next = mergeRecording(current, insert);
        const facts = factsOf(next);
        if (facts.stopMs - facts.startMs > MAX_RECORDING_SPAN_MS) {
          throw new InvalidParameterException('stopTime', 'a recording cannot span more than 31 days');
        }
        changed = !(current && canonicalJson(current) === canonicalJson(next));
        return changed ? next : undefined;
      },
      { likelyNew: true },
    );
    if (changed) await this.publish({ type: 'voiceRecording.stored', ccid: contactCenter.id, data: { recordingId: insert.id } });
  }

  /**
   * Every webDAV media path of an insert must name an object below one of the contact center's configured
   * voice stores (never another host: RWS fetches and deletes these paths), and never an object of RWS's own
   * screen-recording storage. 400 naming the field otherwise. Other storage kinds are kept, never fetched.
   */
  private async requireMediaInOwnStores(ccid: string, recordingId: string, mediaFiles: JsonObject[]): Promise<void> {
    let stores: VoiceStore[] | undefined;
    const located: { field: string; location: VoiceMediaLocation }[] = [];
    for (const [index, media] of mediaFiles.entries()) {
      const descriptor = isObject(media.mediaDescriptor) ? media.mediaDescriptor : undefined;
      if (typeof descriptor?.path !== 'string' || String(descriptor.storage ?? 'webDAV').toLowerCase() !== 'webdav') continue;
      stores ??= await this.locator.storesOf(ccid, true);
      const field = `mediaFiles[${index}].mediaDescriptor.path`;
      const location = resolveVoiceMedia(stores, descriptor.path);
      if (!location) throw new InvalidParameterException(field, "outside every voice store configured for this contact center (PUT …/settings/recordings)");
      const screenRoot = this.config.webdav?.url.replace(/\/?$/, '/');
      const ownStorage = this.locator.isNodeStore(location.store) && isOffLimitsKey(location.relative);
      if (ownStorage || (screenRoot && (location.base + location.relative).startsWith(`${screenRoot}cc/`))) {
        throw new InvalidParameterException(field, "names an object of RWS's own recording storage");
      }
      located.push({ field, location });
    }
    // Claimed before the document is written: an object belongs to one recording of one contact center.
    if (stores && located.length) await this.ownership.claimAll({ ccid, recordingId }, located, stores);
  }

  /** One recording as the API shows it. */
  async get(ctx: RecordingContext, id: string): Promise<JsonObject> {
    return (await this.views(ctx, [await this.requireVisible(ctx, id)]))[0];
  }

  /**
   * The media file a player asks for by its `mediaFileId`, when the caller may see the recording; every
   * attempt is audited as `play` (a hidden or missing recording answers 404 like any other read). On
   * success the audit entry is being written when this returns: `audited` settles once it is durable, and
   * the caller serves nothing before (it may meanwhile prepare, e.g. locate the file or unwrap its key).
   */
  async mediaForPlayback(ctx: RecordingContext, id: string, mediaFileId: string): Promise<{ media: RecordingMediaFile; audited: Promise<void> }> {
    let media: RecordingMediaFile | undefined;
    try {
      const recording = await this.requireVisible(ctx, id);
      media = recording.mediaFiles.find((m) => m.mediaFileId === mediaFileId);
      if (!media) throw new RecordingNotFoundException(`${id}/${mediaFileId}`);
    } catch (err) {
      await this.record(ctx, { action: 'play', recordingId: id, outcome: err instanceof RecordingNotFoundException ? 'not-found' : 'failed', detail: { mediaFileId } });
      throw err;
    }
    const audited = this.record(ctx, { action: 'play', recordingId: id, outcome: 'success', detail: { mediaFileId } });
    // Observed here: a caller that fails first (and never awaits it) must not leave an unhandled rejection.
    audited.catch(() => undefined);
    return { media, audited };
  }

  /** One page of a search (query string of api.md §2). */
  async search(ctx: RecordingContext, query: Record<string, unknown>): Promise<SearchResult> {
    const params = parseSearchParams(query);
    // The page size may change between pages; the filters may not.
    const digest = searchDigest({ ...params.canonical, ccid: ctx.ccid, region: this.config.region });
    const after = params.pageToken ? this.tokens.verify(params.pageToken, digest) : undefined;
    await this.contactCenters.require(ctx.ccid);
    const page = await this.store.search({
      ccid: ctx.ccid,
      region: this.config.region,
      filters: params.filters,
      scope: await this.scopeOf(ctx),
      after,
      limit: params.limit,
      maxScan: MAX_SCAN_PER_REQUEST,
    });
    // The audit entry is written while the page's views are assembled; the answer waits for both.
    const [recordings] = await Promise.all([
      this.views(ctx, page.recordings),
      this.record(ctx, { action: 'search', outcome: 'success', detail: { filters: params.canonical, returned: page.recordings.length } }),
    ]);
    return { recordings, nextPageToken: page.resumeAfter ? this.tokens.sign(page.resumeAfter, digest) : undefined };
  }

  /** Deletes a recording's metadata, then its media (or queues them); refused while non-delete applies. */
  async delete(ctx: RecordingContext, id: string): Promise<void> {
    try {
      this.access.requireOperation(ctx.principal, 'delete');
    } catch (err) {
      await this.record(ctx, { action: 'delete', recordingId: id, outcome: 'refused' });
      throw err;
    }
    const recording = await this.requireVisible(ctx, id).catch(async (err) => {
      await this.record(ctx, { action: 'delete', recordingId: id, outcome: err instanceof RecordingNotFoundException ? 'not-found' : 'failed' });
      throw err;
    });
    const refuseUnderHold = (current: VoiceRecording) => {
      if (current.nonDelete) throw new RecordingUnderNonDeleteException(id);
    };
    try {
      refuseUnderHold(recording);
      // Metadata first (its guard closes the race with a legal hold applied meanwhile); the media follow,
      // deleted now or queued for retry when their store is unreachable, never blocking the delete.
      const deleted = await this.store.delete(ctx.ccid, id, refuseUnderHold);
      for (const media of deleted?.mediaFiles ?? []) await this.media.remove(ctx.ccid, media, { recordingId: id, actor: ctx.principal });
    } catch (err) {
      await this.record(ctx, { action: 'delete', recordingId: id, outcome: err instanceof RecordingUnderNonDeleteException ? 'refused' : 'failed' });
      throw err;
    }
    await this.record(ctx, { action: 'delete', recordingId: id, outcome: 'success' });
    await this.publish({ type: 'recording.deleted', ccid: ctx.ccid, data: { recordingId: id, actor: ctx.principal.userName } });
  }

  /** Puts the recording (and the call's screen recordings) under non-delete, or releases it. */
  async setNonDelete(ctx: RecordingContext, id: string, nonDelete: boolean): Promise<void> {
    const action = nonDelete ? 'applyNonDelete' : 'removeNonDelete';
    const recording = await this.requireVisible(ctx, id);
    await this.update(ctx, id, (current) => ({ ...current, nonDelete }));
    await this.screenRecordings.setNonDelete(ctx.ccid, factsOf(recording).callUuids, nonDelete);
    await this.record(ctx, { action, recordingId: id, outcome: 'success' });
    await this.publish({ type: nonDelete ? 'legalHold.applied' : 'legalHold.removed', ccid: ctx.ccid, data: { recordingId: id, actor: ctx.principal.userName } });
  }

  /** Adds or removes a label (already checked against the definitions). */
  async setLabel(ctx: RecordingContext, id: string, label: string, present: boolean): Promise<void> {
    await this.requireVisible(ctx, id);
    await this.update(ctx, id, (current) => ({
      ...current,
      labels: present ? [...new Set([...current.labels, label])].sort() : current.labels.filter((l) => l !== label),
    }));
    await this.record(ctx, { action: present ? 'addLabel' : 'removeLabel', recordingId: id, outcome: 'success', detail: { label } });
  }

  private async update(ctx: RecordingContext, id: string, change: (current: VoiceRecording) => VoiceRecording): Promise<void> {
    const scope = await this.scopeOf(ctx);
    await this.store.upsert(ctx.ccid, id, (current) => {
      if (!current || !this.visible(scope, current)) throw new RecordingNotFoundException(id);
      const next = change(current);
      return canonicalJson(next) === canonicalJson(current) ? undefined : next;
    });
  }

  private async requireVisible(ctx: RecordingContext, id: string): Promise<VoiceRecording> {
    await this.contactCenters.require(ctx.ccid);
    const [recording, scope] = await Promise.all([this.store.get(ctx.ccid, id), this.scopeOf(ctx)]);
    if (!recording || !this.visible(scope, recording)) throw new RecordingNotFoundException(id);
    return recording;
  }

  private visible(scope: AccessScope, recording: VoiceRecording): boolean {
    return recording.region === this.config.region && scopeAllows(scope, factsOf(recording));
  }

  /**
   * The caller's access within the request's contact center, from the identity module's one policy, with
   * the agents its access groups cover by their hierarchy (AgentHierarchies).
   */
  private scopeOf(ctx: RecordingContext): Promise<AccessScope> {
    return this.hierarchies.widen(ctx.ccid, accessScopeFrom(this.access.searchScope(ctx.principal, ctx.ccid)));
  }

  /** Recordings as the API shows them, with their calls' screen recordings (looked up once for all). */
  private async views(ctx: RecordingContext, docs: VoiceRecording[]): Promise<JsonObject[]> {
    if (docs.length === 0) return [];
    const linked = await this.screenRecordings.forCalls(ctx.ccid, [...new Set(docs.flatMap((doc) => factsOf(doc).callUuids))], ctx.links.baseUrl);
    return docs.map((doc) => recordingView(doc, ctx.links, factsOf(doc).callUuids.flatMap((uuid) => linked.get(uuid) ?? [])));
  }

  /**
   * Reports a lifecycle event once the change is durable. A failure to queue it is logged, not thrown: the
   * change happened and the caller must not be told otherwise (docs/lifecycle.md names this gap).
   */
  private async publish(event: DomainEvent): Promise<void> {
    await this.events?.publish(event).catch((err: Error) => this.logger.error({ msg: 'lifecycle event lost', type: event.type, error: err.message }));
  }

  private async record(ctx: RecordingContext, event: Omit<RecordingAuditEvent, 'userName' | 'ccid' | 'at' | 'from'>): Promise<void> {
    await this.audit.record({ ...event, userName: ctx.principal.userName, actor: ctx.principal, ccid: ctx.ccid, from: ctx.from, at: new Date().toISOString() });
    this.logger.debug?.({ msg: 'recording action', action: event.action, recordingId: event.recordingId, outcome: event.outcome });
  }
}
