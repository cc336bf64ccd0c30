import { factsOf, RecordingFacts } from '../recording-facts';
import { matchesSearch, RecordingPage, RecordingSearch, SearchPosition } from '../recording-query';
import type { VoiceRecording } from '../voice-recording';

/** An index entry met while walking an access path in result order. */
export interface IndexCandidate extends SearchPosition {
  /** The facts written with the entry; they may be stale, so matches are re-checked on the document. */
  facts: RecordingFacts;
}

/**
 * Candidates per document read. Reads start as soon as this many candidates are known, while the walk
 * goes on (a sparse path spends most of its time walking), and several smaller reads of one page run
 * side by side.
 */
export const LOAD_CHUNK = 25;

interface PendingLoad {
  candidates: IndexCandidate[];
  docs: Promise<(VoiceRecording | undefined)[]>;
}

/**
 * Fills one page from an access path: walks candidates in result order, keeps those whose entry facts
 * match, loads their documents (in chunks, started while the walk continues) and re-checks each against
 * its current facts (an entry left behind by an interrupted write, or whose recording moved in time, is
 * dropped). Keeps walking until the page plus one is found (so we know whether more follow), the path
 * ends, or `search.maxScan` entries were examined — then the page carries the position to continue from.
 */
export async function collectPage(
  candidates: AsyncIterable<IndexCandidate>,
  search: RecordingSearch,
  load: (ids: string[]) => Promise<(VoiceRecording | undefined)[]>,
): Promise<RecordingPage> {
  const wanted = search.limit + 1;
  const accepted: { position: SearchPosition; doc: VoiceRecording }[] = [];
  const loads: PendingLoad[] = [];
  let loading = 0;
  let pending: IndexCandidate[] = [];
  let scanned = 0;
  let lastScanned: SearchPosition | undefined;
  let bounded = false;

  const startLoad = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const docs = load(batch.map((c) => c.id));
    // Settled in order below; a load abandoned after an earlier failure must not go unhandled.
    docs.catch(() => undefined);
    loads.push({ candidates: batch, docs });
    loading += batch.length;
  };
  // Verifies the loads in result order, until the page is full or nothing is left in flight.
  const settle = async (): Promise<void> => {
    startLoad();
    while (loads.length > 0 && accepted.length < wanted) {
      const { candidates: batch, docs } = loads.shift()!;
      const loaded = await docs;
      loading -= batch.length;
      batch.forEach((candidate, i) => {
        const doc = loaded[i];
        if (!doc || accepted.length >= wanted) return;
        const facts = factsOf(doc);
        if (facts.startMs === candidate.startMs && matchesSearch(facts, search)) {
          accepted.push({ position: { startMs: candidate.startMs, id: candidate.id }, doc });
        }
      });
    }
  };

  for await (const candidate of candidates) {
    scanned++;
    lastScanned = { startMs: candidate.startMs, id: candidate.id };
    if (matchesSearch(candidate.facts, search)) pending.push(candidate);
    if (pending.length >= LOAD_CHUNK) startLoad();
    if (accepted.length + loading + pending.length >= wanted) await settle();
    if (accepted.length >= wanted) break;
    if (scanned >= search.maxScan) {
      bounded = true;
      break;
    }
  }
  await settle();

  if (accepted.length > search.limit) {
    const page = accepted.slice(0, search.limit);
    return { recordings: page.map((a) => a.doc), resumeAfter: page[page.length - 1].position };
  }
  return { recordings: accepted.map((a) => a.doc), resumeAfter: bounded ? lastScanned : undefined };
}
