import { factsOf, RecordingFacts } from '../recording-facts';
import { matchesSearch, RecordingPage, RecordingSearch, SearchPosition } from '../recording-query';
import type { VoiceRecording } from '../voice-recording';

/** An index entry met while walking an access path in result order. */
export interface IndexCandidate extends SearchPosition {
  /** The facts written with the entry; they may be stale, so matches are re-checked on the document. */
  facts: RecordingFacts;
}

/**
 * Fills one page from an access path: walks candidates in result order, keeps those whose entry facts
 * match, then loads their documents and re-checks each against its current facts (an entry left behind
 * by an interrupted write, or whose recording moved in time, is dropped). Keeps walking until the page
 * plus one is found (so we know whether more follow), the path ends, or `search.maxScan` entries were
 * examined — then the page carries the position to continue from.
 */
export async function collectPage(
  candidates: AsyncIterable<IndexCandidate>,
  search: RecordingSearch,
  load: (ids: string[]) => Promise<(VoiceRecording | undefined)[]>,
): Promise<RecordingPage> {
  const wanted = search.limit + 1;
  const accepted: { position: SearchPosition; doc: VoiceRecording }[] = [];
  let pending: IndexCandidate[] = [];
  let scanned = 0;
  let lastScanned: SearchPosition | undefined;
  let bounded = false;

  const verifyPending = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const docs = await load(batch.map((c) => c.id));
    batch.forEach((candidate, i) => {
      const doc = docs[i];
      if (!doc || accepted.length >= wanted) return;
      const facts = factsOf(doc);
      if (facts.startMs === candidate.startMs && matchesSearch(facts, search)) {
        accepted.push({ position: { startMs: candidate.startMs, id: candidate.id }, doc });
      }
    });
  };

  for await (const candidate of candidates) {
    scanned++;
    lastScanned = { startMs: candidate.startMs, id: candidate.id };
    if (matchesSearch(candidate.facts, search)) pending.push(candidate);
    if (accepted.length + pending.length >= wanted) await verifyPending();
    if (accepted.length >= wanted) break;
    if (scanned >= search.maxScan) {
      bounded = true;
      break;
    }
  }
  await verifyPending();

  if (accepted.length > search.limit) {
    const page = accepted.slice(0, search.limit);
    return { recordings: page.map((a) => a.doc), resumeAfter: page[page.length - 1].position };
  }
  return { recordings: accepted.map((a) => a.doc), resumeAfter: bounded ? lastScanned : undefined };
}
