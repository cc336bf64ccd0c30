import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import { DomainEvents } from '../../common/events/domain-events';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { AuditLog } from '../../identity/audit/audit-log.service';
import type { Principal } from '../../identity/principal';
import { compileNumberPattern, NumberPattern } from '../../recordings/number-pattern';
import { factsOf, isObject } from '../../recordings/recording-facts';
import type { RecordingFilters, SearchPosition } from '../../recordings/recording-query';
import { RecordingStore } from '../../recordings/recording.store';
import { RecordingNotFoundException, RecordingUnderNonDeleteException } from '../../recordings/recordings.exception';
import { RecordingsService } from '../../recordings/recordings.service';
import type { VoiceRecording } from '../../recordings/voice-recording';
import type { ScreenRecording } from '../../screen-recordings/screen-recording';
import { ScreenRecordingsService } from '../../screen-recordings/screen-recordings.service';
import { DeletionReceiptsService } from '../deletion-receipts.service';
import { purgedItem } from '../purge-runner';
import type { PurgedRecording } from '../retention-policy';
import { systemContext } from '../system-actor';

/** Who asks (an operator acting on a data subject's request) and from where. */
export interface SubjectContext {
  actor: Principal;
  source?: string;
}

/** Everything RWS holds about one phone number in a contact center. */
export interface SubjectData {
  recordings: VoiceRecording[];
  screenRecordings: ScreenRecording[];
}

/** What an erasure did. */
export interface ErasureResult {
  erasureId: string;
  erased: string[];
  /** Recordings legal hold keeps: nothing of them was touched. */
  refusedUnderLegalHold: string[];
  receiptId?: string;
}

const PAGE = 500;

/**
 * Access and erasure by customer phone number (GDPR-style): finds the voice recordings whose caller or
 * dialed number is the subject's (exact, after normalisation) and the screen recordings of their calls;
 * exports them as JSON; or erases them through the recordings service (media, then metadata), refusing
 * what legal hold keeps, with a signed receipt. The audit entries name the request, never the number.
 */
@Injectable()
export class DataSubjectsService {
  constructor(
    private readonly recordings: RecordingStore,
    private readonly recordingsService: RecordingsService,
    private readonly screens: ScreenRecordingsService,
    private readonly contactCenters: ContactCentersService,
    private readonly receipts: DeletionReceiptsService,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Everything about the number (the access request); audited without the number. */
  async find(ctx: SubjectContext, ccidParam: string, body: unknown): Promise<SubjectData> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const data = await this.collect(ccid, numberOf(body));
    await this.audit.record({
      actor: ctx.actor,
      action: 'subjectAccess',
      outcome: 'success',
      ccid,
      objectType: 'dataSubject',
      objectId: randomUUID(),
      source: ctx.source,
      detail: `recordings=${data.recordings.length} screenRecordings=${data.screenRecordings.length}`,
    });
    return data;
  }

  /** Erases everything about the number that legal hold does not keep. */
  async erase(ctx: SubjectContext, ccidParam: string, body: unknown): Promise<ErasureResult> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const erasureId = randomUUID();
    const { recordings, screenRecordings } = await this.collect(ccid, numberOf(body));
    const result: ErasureResult = { erasureId, erased: [], refusedUnderLegalHold: [] };
    const purged: PurgedRecording[] = [];
    const actorCtx = systemContext(ccid, ctx.actor);
    try {
      for (const doc of recordings) {
        if (doc.nonDelete) {
          result.refusedUnderLegalHold.push(doc.id);
          continue;
        }
        try {
          await this.recordingsService.delete({ ...actorCtx, from: ctx.source }, doc.id);
        } catch (err) {
          if (err instanceof RecordingUnderNonDeleteException) {
            result.refusedUnderLegalHold.push(doc.id);
            continue;
          }
          if (!(err instanceof RecordingNotFoundException)) throw err;
        }
        result.erased.push(doc.id);
        purged.push({ ...purgedItem(doc), deletedAt: new Date().toISOString() });
        await this.events.publish({ type: 'recording.erased', ccid, data: { recordingId: doc.id, erasureId } }).catch(() => undefined);
        await this.eraseScreenMedia(ctx, ccid, doc, screenRecordings);
      }
    } catch (err) {
      // An outage stopped it half-way: what was erased still gets its receipt; the caller retries the rest.
      if (purged.length > 0) await this.receipts.issueForErasure(erasureId, ccid, ctx.actor, purged);
      await this.audit.record({ actor: ctx.actor, action: 'subjectErasure', outcome: 'failed', ccid, objectType: 'dataSubject', objectId: erasureId, source: ctx.source, detail: `erased=${purged.length} stopped` });
      throw err;
    }
    if (purged.length > 0) result.receiptId = await this.receipts.issueForErasure(erasureId, ccid, ctx.actor, purged);
    await this.audit.record({
      actor: ctx.actor,
      action: 'subjectErasure',
      outcome: result.refusedUnderLegalHold.length ? 'denied' : 'success',
      ccid,
      objectType: 'dataSubject',
      objectId: erasureId,
      source: ctx.source,
      detail: `erased=${result.erased.length} underLegalHold=${result.refusedUnderLegalHold.length}${result.receiptId ? ` receipt=${result.receiptId}` : ''}`,
    });
    return result;
  }

  /** The call's screen media goes with the voice recording (the screen metadata carries no phone number). */
  private async eraseScreenMedia(ctx: SubjectContext, ccid: string, doc: VoiceRecording, screenRecordings: ScreenRecording[]): Promise<void> {
    const calls = new Set(factsOf(doc).callUuids);
    for (const screen of screenRecordings.filter((s) => calls.has(s.callUuid) && !s.nonDelete)) {
      for (const media of screen.mediaFiles) {
        await this.screens.deleteMedia(ctx.actor, screen.id, media.mediaId, ccid, ctx.source).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
    }
  }

  private async collect(ccid: string, pattern: NumberPattern): Promise<SubjectData> {
    const byId = new Map<string, VoiceRecording>();
    for (const filters of [{ caller: pattern }, { dialed: pattern }] as RecordingFilters[]) {
      for await (const doc of this.walk(ccid, filters)) byId.set(doc.id, doc);
    }
    const recordings = [...byId.values()];
    const calls = [...new Set(recordings.flatMap((d) => factsOf(d).callUuids))];
    const screenRecordings = calls.length ? await this.screens.listForCalls(ccid, calls) : [];
    return { recordings, screenRecordings };
  }

  private async *walk(ccid: string, filters: RecordingFilters): AsyncGenerator<VoiceRecording> {
    let after: SearchPosition | undefined;
    for (;;) {
      const page = await this.recordings.search({ ccid, region: this.config.region, filters, scope: { kind: 'all' }, after, limit: PAGE, maxScan: 20_000 });
      yield* page.recordings;
      if (!page.resumeAfter) return;
      after = page.resumeAfter;
    }
  }
}

/** The subject's number from `{"phoneNumber": "+1 617 …"}`: exact (no wildcards), at least 3 digits or letters. */
function numberOf(body: unknown): NumberPattern {
  const raw = isObject(body) ? body.phoneNumber : undefined;
  if (typeof raw !== 'string' || raw.length > 64) throw new InvalidParameterException('phoneNumber', 'a phone number (string) is required');
  if (raw.includes('*')) throw new InvalidParameterException('phoneNumber', 'must be an exact number, without wildcards');
  const pattern = compileNumberPattern(raw);
  if (!pattern?.exact || pattern.exact.length < 3) throw new InvalidParameterException('phoneNumber', 'must contain at least 3 letters or digits');
  return pattern;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'NOT_FOUND';
}
