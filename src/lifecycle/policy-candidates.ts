import { Injectable, Inject } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { factsOf } from '../recordings/recording-facts';
import type { SearchPosition } from '../recordings/recording-query';
import { RecordingStore } from '../recordings/recording.store';
import type { VoiceRecording } from '../recordings/voice-recording';
import { ScreenRecordingsService } from '../screen-recordings/screen-recordings.service';
import { candidateFilters, matchesMedia, matchesRecording } from './retention-match';
import type { RetentionPolicy } from './retention-policy';

/** Documents read per search page while walking a policy's candidates. */
const PAGE_SIZE = 200;
/** Index entries one page may examine (the walk continues from where a bounded page stopped). */
const MAX_SCAN = 20_000;

/** Why a recording a delete policy matches is (or is not) deleted. */
export type Verdict = 'due' | 'legalHold' | 'kept';

/** A recording a policy matches, with its place in the walk and what happens to it. */
export interface PolicyCandidate {
  doc: VoiceRecording;
  position: SearchPosition;
  verdict: Verdict;
}

/**
 * Walks the recordings of a contact center that a policy matches and that started at or before a cutoff,
 * in search result order (newest start first), with a verdict for each: legal hold always wins, then any
 * enabled `keep` policy, else the recording is due. The dry run and the scheduler both walk through here,
 * so what a dry run lists is what a run then deletes.
 */
@Injectable()
export class PolicyCandidates {
  constructor(
    private readonly recordings: RecordingStore,
    private readonly screens: ScreenRecordingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async *walk(policy: RetentionPolicy, keepPolicies: RetentionPolicy[], cutoffMs: number, after?: SearchPosition): AsyncGenerator<PolicyCandidate> {
    let position = after;
    for (;;) {
      const page = await this.recordings.search({
        ccid: policy.ccid,
        region: this.config.region,
        filters: candidateFilters(policy.match, cutoffMs),
        scope: { kind: 'all' },
        after: position,
        limit: PAGE_SIZE,
        maxScan: MAX_SCAN,
      });
      const matched = page.recordings.filter((doc) => matchesRecording(policy.match, doc));
      const withScreen = await this.callsWithScreen(policy.ccid, matched, [policy, ...keepPolicies]);
      for (const doc of matched) {
        const hasScreen = factsOf(doc).callUuids.some((uuid) => withScreen.has(uuid));
        if (!matchesMedia(policy.match, hasScreen)) continue;
        const verdict: Verdict = doc.nonDelete
          ? 'legalHold'
          : keepPolicies.some((keep) => matchesRecording(keep.match, doc) && matchesMedia(keep.match, hasScreen))
            ? 'kept'
            : 'due';
        yield { doc, position: { startMs: factsOf(doc).startMs, id: doc.id }, verdict };
      }
      if (!page.resumeAfter) return;
      position = page.resumeAfter;
    }
  }

  /** The CallUUIDs among these recordings' calls that have a screen recording (asked only when a policy cares). */
  private async callsWithScreen(ccid: string, docs: VoiceRecording[], policies: RetentionPolicy[]): Promise<Set<string>> {
    if (docs.length === 0 || !policies.some((p) => p.match.media !== undefined)) return new Set();
    const calls = [...new Set(docs.flatMap((d) => factsOf(d).callUuids))];
    return new Set((await this.screens.listForCalls(ccid, calls)).map((s) => s.callUuid));
  }
}

export const DAY_MS = 86_400_000;

/** When a recording becomes due under a delete policy: its start plus the policy's days. */
export function dueAtMs(doc: VoiceRecording, afterDays: number): number {
  return factsOf(doc).startMs + afterDays * DAY_MS;
}
