import { PrivateMsgId } from '../../src/telephony/tlib/tlib-messages';
import type { SimCluster } from './sim-cluster';
import { SimError } from './sim-types';

/** What a load run did. */
export interface LoadResult {
  changes: number;
  durationMs: number;
  ratePerSec: number;
}

/**
 * Load for benchmarks: pauses and resumes the calls' existing recordings in turn (`count` changes at
 * `ratePerSec`), each change announced like any other (EventAttachedDataChanged to the call's DNs).
 */
export async function toggleRecordings(sim: SimCluster, options: { count: number; ratePerSec: number }): Promise<LoadResult> {
  const targets = sim.model.allCalls().flatMap((call) => [...call.recordings.values()].map((r) => ({ call, dn: r.dn })));
  if (targets.length === 0) throw new SimError('no recordings to toggle: set up recorded calls first', 409);
  const started = performance.now();
  let changes = 0;
  let index = 0;
  while (changes < options.count) {
    const due = Math.min(options.count, Math.floor(((performance.now() - started) / 1000) * options.ratePerSec) + 1);
    while (changes < due) {
      const { call, dn } = targets[index++ % targets.length];
      const recording = call.recordings.get(dn);
      if (recording) {
        const msgId = recording.state === 'ON' ? PrivateMsgId.RecordPause : PrivateMsgId.RecordResume;
        const outcome = sim.model.recordings.privateService(call, dn, msgId);
        if (outcome.ok) outcome.apply();
      }
      changes++;
    }
    // Yield so the servers can flush and the pace holds.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const durationMs = performance.now() - started;
  return { changes, durationMs, ratePerSec: changes / (durationMs / 1000) };
}
