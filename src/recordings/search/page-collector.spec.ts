import type { RecordingFacts } from '../recording-facts';
import type { RecordingSearch } from '../recording-query';
import type { VoiceRecording } from '../voice-recording';
import { collectPage, IndexCandidate, LOAD_CHUNK } from './page-collector';

const BASE_MS = Date.parse('2024-03-01T00:00:00Z');

function facts(startMs: number): RecordingFacts {
  return { region: 'region1', startMs, stopMs: startMs, timed: true, caller: '1', dialed: '2', agentIds: [], userNames: [], partitions: [], labels: [], callUuids: [], connIds: [], accessGroups: [] };
}

/** Recording i starts i minutes before BASE (result order is i ascending); ids of `stale` were moved since. */
function fixture(count: number, stale: Set<number>) {
  const docs = new Map<string, VoiceRecording>();
  const candidates: IndexCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const id = `R${String(i).padStart(4, '0')}`;
    const startMs = BASE_MS - i * 60_000;
    const docStart = stale.has(i) ? startMs - 3_600_000 : startMs;
    docs.set(id, { id, ccid: 'c', region: 'region1', callerPhoneNumber: '1', dialedPhoneNumber: '2', startTime: new Date(docStart).toISOString(), stopTime: new Date(docStart).toISOString(), mediaFiles: [], eventHistory: [], labels: [], nonDelete: false });
    candidates.push({ startMs, id, facts: facts(startMs) });
  }
  return { docs, candidates };
}

const search = (limit: number): RecordingSearch => ({ ccid: 'c', region: 'region1', filters: {}, scope: { kind: 'all' }, limit, maxScan: 10_000 });

describe('collectPage', () => {
  it('fills a page in result order, dropping entries whose document moved, and resumes after its last row', async () => {
    const { docs, candidates } = fixture(200, new Set([3, 40, 41, 77]));
    async function* walk() {
      yield* candidates;
    }
    const page = await collectPage(walk(), search(60), async (ids) => ids.map((id) => docs.get(id)));
    const expected = candidates.map((c) => c.id).filter((id) => !['R0003', 'R0040', 'R0041', 'R0077'].includes(id)).slice(0, 60);
    expect(page.recordings.map((r) => r.id)).toEqual(expected);
    expect(page.resumeAfter).toEqual({ startMs: candidates[62].startMs, id: 'R0062' });
  });

  it('starts reading documents while the walk goes on', async () => {
    const { docs, candidates } = fixture(3 * LOAD_CHUNK, new Set());
    const requested: number[] = [];
    let loadsWhenWalkResumed = -1;
    async function* walk() {
      for (const [i, candidate] of candidates.entries()) {
        if (i === LOAD_CHUNK) loadsWhenWalkResumed = requested.length;
        yield candidate;
      }
    }
    const page = await collectPage(walk(), search(100), async (ids) => {
      requested.push(ids.length);
      return ids.map((id) => docs.get(id));
    });
    expect(page.recordings).toHaveLength(3 * LOAD_CHUNK);
    expect(page.resumeAfter).toBeUndefined();
    expect(loadsWhenWalkResumed).toBe(1);
    expect(requested).toEqual([LOAD_CHUNK, LOAD_CHUNK, LOAD_CHUNK]);
  });
});
