/**
 * Deterministic generator of Recording Processor documents for search tests and benchmarks, with the
 * ground truth of each recording kept independently of the service's own fact derivation.
 */

/** Seeded PRNG (mulberry32): the same seed gives the same data set on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a recording is, as the generator made it: the oracle's source of truth. */
export interface GeneratedTruth {
  id: string;
  region: string;
  startMs: number;
  stopMs: number;
  caller: string; // alphanumerics only
  dialed: string;
  callType: string;
  agentIds: string[];
  userNames: string[];
  partitions: string[];
  labels: string[];
  callUuids: string[];
  connIds: string[];
}

/** A generated recording: one or two insert documents (posted in order) and its truth. */
export interface GeneratedRecording {
  posts: Record<string, unknown>[];
  truth: GeneratedTruth;
}

export const GENERATION_BASE_MS = Date.UTC(2024, 2, 1);
const DAY = 86_400_000;
const CALL_TYPES = ['Inbound', 'Outbound', 'Internal', 'Consult'];
const PARTITIONS = ['/sales', '/support', '/billing', '/vip'];
const LABELS = ['escalated', 'training', 'complaint'];

function iso(ms: number, style: number): string {
  const text = new Date(ms).toISOString();
  // Mix the accepted timestamp forms: Z with millis, Z without, +0000, +00:00.
  if (style === 0) return text;
  if (style === 1) return text.replace(/\.\d{3}Z$/, 'Z');
  if (style === 2) return text.replace('Z', '+0000');
  return text.replace(/\.\d{3}Z$/, '+00:00');
}

function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 10);
  return s;
}

/** Generates `count` recordings of region `region` (and a share of `otherRegion` ones, which must never be found). */
export function generateRecordings(seed: number, count: number, options: { region: string; otherRegion: string; days?: number }): GeneratedRecording[] {
  const rand = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const days = options.days ?? 30;
  const out: GeneratedRecording[] = [];
  const hotlines = Array.from({ length: 12 }, () => `+1 800 555 ${digits(rand, 4)}`);
  for (let i = 0; i < count; i++) {
    const id = `G${seed}X${i.toString(36).toUpperCase().padStart(5, '0')}`;
    const region = rand() < 0.03 ? options.otherRegion : options.region;
    const startMs = GENERATION_BASE_MS + Math.floor(rand() * days * DAY / 1000) * 1000;
    const r = rand();
    const durationMs = (r < 0.02 ? 20 * 3600 : r < 0.1 ? 3 * 3600 : 10 + Math.floor(rand() * 1800)) * 1000;
    const stopMs = startMs + durationMs;
    const callerStyle = rand();
    const callerRaw =
      callerStyle < 0.35 ? `+1617${digits(rand, 7)}` : callerStyle < 0.6 ? `+1 (508) 555-${digits(rand, 4)}` : callerStyle < 0.8 ? `+44 20 ${digits(rand, 4)} ${digits(rand, 4)}` : `${digits(rand, 4)}`;
    const dialedRaw = rand() < 0.6 ? pick(hotlines) : `+1${digits(rand, 10)}`;
    const callType = pick(CALL_TYPES);
    const mediaCount = rand() < 0.15 ? 2 + Math.floor(rand() * 2) : 1;
    const agentIds = new Set<string>();
    const userNames = new Set<string>();
    const partitions = new Set<string>();
    const connIds = new Set<string>();
    const callUuids = new Set<string>([id]);
    const mediaFiles: Record<string, unknown>[] = [];
    for (let m = 0; m < mediaCount; m++) {
      const agentId = `agent${Math.floor(rand() * 150).toString().padStart(3, '0')}`;
      const connId = `00${Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0')}${m}`;
      agentIds.add(agentId);
      connIds.add(connId);
      const media: Record<string, unknown> = {
        mediaId: `callrec.${id}.${m}.mp3`,
        callUUID: id,
        type: 'audio/mp3',
        startTime: iso(startMs, Math.floor(rand() * 4)),
        stopTime: iso(stopMs, Math.floor(rand() * 4)),
        duration: (durationMs / 1000).toFixed(3),
        size: String(Math.floor(durationMs / 8)),
        parameters: { agentId, connId },
        accessgroups: [`/West/Team${agentId.slice(-1)}`],
      };
      const p = rand();
      if (p < 0.4) {
        const partition = pick(PARTITIONS);
        media.partitions = [partition];
        partitions.add(partition);
      } else if (p < 0.55) {
        const two = [pick(PARTITIONS), pick(PARTITIONS)];
        (media.parameters as Record<string, unknown>).GRECORD_PARTITIONS = two.join(',');
        two.forEach((x) => partitions.add(x));
      }
      mediaFiles.push(media);
    }
    const userName = rand() < 0.5 ? `user${Math.floor(rand() * 60)}` : undefined;
    if (userName) userNames.add(userName);
    const consult = rand() < 0.05 ? `CONSULT${i}` : undefined;
    if (consult) callUuids.add(consult);
    const eventHistory: Record<string, unknown>[] = [
      { occurredAt: iso(startMs, 0), calluuid: id, event: 'Joined', contact: { type: 'External', phoneNumber: callerRaw } },
      ...(userName ? [{ occurredAt: iso(startMs + 1000, 2), calluuid: id, event: 'Joined', contact: { type: 'Agent', userName } }] : []),
      ...(consult ? [{ occurredAt: iso(startMs + 2000, 0), calluuid: consult, event: 'ConsultStarted' }] : []),
    ];
    const labels = rand() < 0.1 ? [pick(LABELS)] : [];
    const base = {
      id,
      region,
      callerPhoneNumber: callerRaw,
      dialedPhoneNumber: dialedRaw,
      callType,
      ...(labels.length ? { labels } : {}),
    };
    let posts: Record<string, unknown>[];
    if (mediaCount > 1 && rand() < 0.5) {
      // Posted in two parts: the first with only the first media file and a later start, so the merge
      // must widen the start (moving the index rows) and add the other agents.
      posts = [
        { ...base, startTime: iso(startMs + 1000, 1), stopTime: iso(stopMs, 1), eventHistory: eventHistory.slice(0, 1), mediaFiles: [{ ...mediaFiles[0], startTime: iso(startMs + 1000, 0) }] },
        { ...base, startTime: iso(startMs, 3), stopTime: iso(stopMs, 3), eventHistory, mediaFiles },
      ];
    } else {
      posts = [{ ...base, startTime: iso(startMs, 1), stopTime: iso(stopMs, 2), eventHistory, mediaFiles }];
    }
    out.push({
      posts,
      truth: {
        id,
        region,
        startMs,
        stopMs,
        caller: callerRaw.replace(/[^A-Za-z0-9]/g, ''),
        dialed: dialedRaw.replace(/[^A-Za-z0-9]/g, ''),
        callType,
        agentIds: [...agentIds],
        userNames: [...userNames],
        partitions: [...partitions],
        labels,
        callUuids: [...callUuids],
        connIds: [...connIds],
      },
    });
  }
  return out;
}

/** Query parameters of a search, as a client sends them. */
export type SearchQuery = Record<string, string>;

/** The brute-force answer: every truth matching the query, in result order (start desc, id desc). */
export function oracle(truths: GeneratedTruth[], query: SearchQuery, region: string): string[] {
  const numberMatches = (pattern: string | undefined, value: string) => {
    if (pattern === undefined) return true;
    const cleaned = pattern.replace(/[^A-Za-z0-9*]/g, '');
    const regex = new RegExp(`^${cleaned.split('*').join('.*')}$`);
    return regex.test(value);
  };
  const instant = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text.replace(/\+0000$/, 'Z')));
  const from = instant(query.startTime);
  const to = instant(query.endTime);
  return truths
    .filter(
      (t) =>
        t.region === region &&
        numberMatches(query.callerPhoneNumber, t.caller) &&
        numberMatches(query.dialedPhoneNumber, t.dialed) &&
        (from === undefined || t.stopMs >= from) &&
        (to === undefined || t.startMs <= to) &&
        (query.agentId === undefined || t.agentIds.includes(query.agentId)) &&
        (query.userName === undefined || t.userNames.includes(query.userName)) &&
        (query.callType === undefined || t.callType === query.callType) &&
        (query.partition === undefined || t.partitions.includes(query.partition)) &&
        (query.label === undefined || t.labels.includes(query.label)) &&
        (query.callUuid === undefined || t.callUuids.includes(query.callUuid)) &&
        (query.connId === undefined || t.connIds.includes(query.connId)),
    )
    .sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((t) => t.id);
}

/** Random queries over the generated vocabulary: each filter alone, combined, wildcards and windows. */
export function generateQueries(seed: number, truths: GeneratedTruth[], count: number): SearchQuery[] {
  const rand = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const some = () => pick(truths);
  const window = (): SearchQuery => {
    const start = GENERATION_BASE_MS + Math.floor(rand() * 30 * DAY);
    const length = pick([3600_000, 6 * 3600_000, DAY, 3 * DAY, 10 * DAY]);
    return { startTime: new Date(start).toISOString(), endTime: new Date(start + length).toISOString().replace('Z', '+0000') };
  };
  const generators: (() => SearchQuery)[] = [
    () => ({ agentId: pick(some().agentIds) }),
    () => ({ agentId: pick(some().agentIds), ...window() }),
    () => ({ callerPhoneNumber: some().caller }),
    () => ({ callerPhoneNumber: '+1617*' }),
    () => ({ callerPhoneNumber: `+1617${some().caller.slice(4, 6)}*` }),
    () => ({ callerPhoneNumber: `*${some().caller.slice(-4)}` }),
    () => ({ callerPhoneNumber: '*555*', ...window() }),
    () => ({ callerPhoneNumber: `*${some().caller.slice(2, 5)}*` }),
    () => ({ dialedPhoneNumber: `+1 800 555 ${some().dialed.slice(-4)}` }),
    () => ({ dialedPhoneNumber: '+1800*', agentId: pick(some().agentIds) }),
    () => ({ dialedPhoneNumber: `*${some().dialed.slice(-3)}`, ...window() }),
    () => ({ callType: pick(CALL_TYPES), ...window() }),
    () => ({ partition: pick(PARTITIONS), ...window() }),
    () => ({ partition: pick(PARTITIONS), callType: pick(CALL_TYPES) }),
    () => ({ label: pick(LABELS) }),
    () => ({ callUuid: some().id }),
    () => ({ callUuid: pick(truths.filter((t) => t.callUuids.length > 1).concat(truths[0])).callUuids.slice(-1)[0] }),
    () => ({ connId: pick(some().connIds) }),
    () => ({ userName: `user${Math.floor(rand() * 60)}` }),
    () => window(),
    () => ({ startTime: window().startTime }),
    () => ({ endTime: window().endTime, callerPhoneNumber: '*1*' }),
    () => ({ agentId: pick(some().agentIds), partition: pick(PARTITIONS), callType: pick(CALL_TYPES) }),
  ];
  return Array.from({ length: count }, (_, i) => generators[i % generators.length]());
}
