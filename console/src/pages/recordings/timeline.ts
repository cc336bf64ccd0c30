import { playUrl, type Recording } from '../../api/recordings';

/** A stretch of one track (a voice media file, a screen recording) placed on the call's timeline. */
export interface Segment {
  /** Seconds from the timeline's origin. */
  start: number;
  end: number;
  src: string;
  label: string;
}

/** A stretch of the call with no voice recorded (a pause, or before/after the recording). */
export interface Gap {
  start: number;
  end: number;
}

/** Voice and screen on one clock: seconds from the earliest start of either. */
export interface Timeline {
  /** Epoch milliseconds of second 0. */
  origin: number;
  duration: number;
  voice: Segment[];
  screen: Segment[];
  /** Where no voice segment plays, between the first start and the last end: the recording's pauses. */
  pauses: Gap[];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Audio-only media files are voice; a video file of the voice document (a muxed recording) is left to its own player. */
function isVoice(type: string | undefined): boolean {
  return !type || !type.toLowerCase().startsWith('video/');
}

/** Same-origin path of an absolute media URI (the session cookie must go with the request); ops name the contact center. */
function sameOrigin(uri: string, ccid?: string): string {
  const url = new URL(uri, window.location.origin);
  if (ccid && !url.searchParams.has('ccid')) url.searchParams.set('ccid', ccid);
  return `${url.pathname}${url.search}`;
}

/**
 * Places the recording's voice files and screen recordings on one timeline by their start times. A file
 * without a stop time lasts its `duration` (voice) or until the call's stop time; one without a start time
 * starts with the call.
 */
export function buildTimeline(recording: Recording, ccid?: string): Timeline {
  const callStart = parseTime(recording.startTime);
  const callStop = parseTime(recording.stopTime);
  const voiceRaw = recording.mediaFiles
    .filter((m) => isVoice(m.type))
    .map((m) => {
      const start = parseTime(m.startTime) ?? callStart ?? 0;
      const byDuration = m.duration !== undefined && Number.isFinite(Number(m.duration)) ? start + Number(m.duration) * 1000 : undefined;
      const stop = byDuration ?? parseTime(m.stopTime) ?? callStop ?? start;
      return { start, stop, src: playUrl(m, ccid), label: m.mediaId };
    });
  const screenRaw = recording.screenRecordings
    .filter((s) => s.mediaUri)
    .map((s) => {
      const start = parseTime(s.startTime) ?? callStart ?? 0;
      return { start, stop: parseTime(s.stopTime) ?? callStop ?? start, src: sameOrigin(s.mediaUri, ccid), label: `Screen ${s.id}` };
    });
  const all = [...voiceRaw, ...screenRaw];
  const origin = Math.min(...all.map((s) => s.start), callStart ?? Infinity);
  const end = Math.max(...all.map((s) => s.stop), callStop ?? -Infinity);
  if (!Number.isFinite(origin) || !Number.isFinite(end)) return { origin: 0, duration: 0, voice: [], screen: [], pauses: [] };
  const place = (raw: typeof all) =>
    raw
      .map((s) => ({ start: seconds(s.start - origin), end: seconds(Math.max(s.stop, s.start) - origin), src: s.src, label: s.label }))
      .sort((a, b) => a.start - b.start);
  const voice = place(voiceRaw);
  return { origin, duration: seconds(end - origin), voice, screen: place(screenRaw), pauses: gapsBetween(voice) };
}

/** The holes between consecutive segments (overlapping segments leave none). */
export function gapsBetween(segments: Segment[]): Gap[] {
  const gaps: Gap[] = [];
  let reach = segments[0]?.end ?? 0;
  for (const segment of segments.slice(1)) {
    if (segment.start > reach + 0.05) gaps.push({ start: reach, end: segment.start });
    reach = Math.max(reach, segment.end);
  }
  return gaps;
}

/** The segment playing at `t`, if any (a segment owns its start, not its end). */
export function segmentAt(segments: Segment[], t: number): Segment | undefined {
  return segments.find((s) => t >= s.start && t < s.end);
}
