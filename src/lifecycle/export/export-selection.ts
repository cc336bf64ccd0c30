import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { factsOf } from '../../recordings/recording-facts';
import type { SearchPosition } from '../../recordings/recording-query';
import { RecordingStore } from '../../recordings/recording.store';
import { parseSearchParams } from '../../recordings/search/search-params';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { RetentionPolicyNotFoundException } from '../lifecycle.exception';
import { DAY_MS, PolicyCandidates } from '../policy-candidates';
import { RetentionStore } from '../retention.store';
import type { ExportJob, ExportSelection } from './export-job';

const PAGE_SIZE = 200;
const MAX_SCAN = 20_000;

/** A recording of a selection and its place in the walk (search result order: newest start first). */
export interface SelectedRecording {
  doc: VoiceRecording;
  position: SearchPosition;
}

/**
 * The recordings an export job selects, walked in search result order from a position: a recordings search
 * with the same filters the search API accepts (every recording of the contact center, whatever the
 * caller's scope: exports are the ops account's), or what a retention policy matches at the job's instant
 * (a delete policy: what is due then; a keep policy: everything it protects).
 */
@Injectable()
export class ExportSelectionWalker {
  constructor(
    private readonly recordings: RecordingStore,
    private readonly policies: RetentionStore,
    private readonly candidates: PolicyCandidates,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws the API's 400 when the filters are not those of a search, 404 when the policy does not exist. */
  async check(ccid: string, selection: ExportSelection): Promise<void> {
    if (selection.kind === 'search') parseSearchParams(selection.filters);
    else if (!(await this.policies.getPolicy(ccid, selection.policyId))) throw new RetentionPolicyNotFoundException(selection.policyId);
  }

  async *walk(job: Pick<ExportJob, 'ccid' | 'selection' | 'asOfMs'>, after?: SearchPosition): AsyncGenerator<SelectedRecording> {
    if (job.selection.kind === 'search') yield* this.search(job.ccid, job.selection.filters, after);
    else yield* this.byPolicy(job.ccid, job.selection.policyId, job.asOfMs, after);
  }

  /** How many recordings the walk would meet (for progress and the ETA). */
  async count(job: Pick<ExportJob, 'ccid' | 'selection' | 'asOfMs'>): Promise<number> {
    let n = 0;
    for await (const _ of this.walk(job)) n++;
    return n;
  }

  private async *search(ccid: string, query: Record<string, string>, after?: SearchPosition): AsyncGenerator<SelectedRecording> {
    const { filters } = parseSearchParams(query);
    let position = after;
    for (;;) {
      const page = await this.recordings.search({ ccid, region: this.config.region, filters, scope: { kind: 'all' }, after: position, limit: PAGE_SIZE, maxScan: MAX_SCAN });
      for (const doc of page.recordings) yield { doc, position: { startMs: factsOf(doc).startMs, id: doc.id } };
      if (!page.resumeAfter) return;
      position = page.resumeAfter;
    }
  }

  private async *byPolicy(ccid: string, policyId: string, asOfMs: number, after?: SearchPosition): AsyncGenerator<SelectedRecording> {
    const policy = await this.policies.getPolicy(ccid, policyId);
    if (!policy) throw new RetentionPolicyNotFoundException(policyId);
    const afterDays = 'afterDays' in policy.action ? policy.action.afterDays : 0;
    for await (const candidate of this.candidates.walk(policy, [], asOfMs - afterDays * DAY_MS, after)) yield { doc: candidate.doc, position: candidate.position };
  }
}
