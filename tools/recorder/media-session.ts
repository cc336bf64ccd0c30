import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * The seam between the recorder's protocol client and whatever captures the screen. The protocol client
 * calls these as RWS asks; a real recorder implements them with a screen capture (e.g. ffmpeg), then uploads
 * the file `stop` returns (tus, api.md §6).
 */
export interface MediaSession {
  /** Begins recording `recordingId`; `paused` starts it without capturing (a pause that arrived first). */
  start(recordingId: string, options: { callUuid: string; paused: boolean }): Promise<void>;
  pause(recordingId: string): Promise<void>;
  resume(recordingId: string): Promise<void>;
  /** Ends the recording; resolves with the finished file (to upload), or undefined when nothing was made. */
  stop(recordingId: string): Promise<string | undefined>;
}

/** Protocol only: keeps no media (benchmarks, tests). */
export class NoMediaSession implements MediaSession {
  async start(): Promise<void> {}
  async pause(): Promise<void> {}
  async resume(): Promise<void> {}
  async stop(): Promise<undefined> {
    return undefined;
  }
}

/**
 * A stand-in capture that writes a generated file per recording: one JSON line per segment boundary
 * (`start`/`pause`/`resume`/`stop` with timestamps). Lets the upload path be exercised end to end before a
 * real screen capture exists.
 */
export class GeneratedFileMediaSession implements MediaSession {
  private readonly files = new Map<string, { path: string; out: WriteStream }>();

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  async start(recordingId: string, options: { callUuid: string; paused: boolean }): Promise<void> {
    const path = join(this.directory, `${recordingId.replace(/[^A-Za-z0-9_-]/g, '_')}.jsonl`);
    const out = createWriteStream(path, { flags: 'wx' });
    this.files.set(recordingId, { path, out });
    this.mark(recordingId, 'start', { callUuid: options.callUuid, paused: options.paused });
  }

  async pause(recordingId: string): Promise<void> {
    this.mark(recordingId, 'pause');
  }

  async resume(recordingId: string): Promise<void> {
    this.mark(recordingId, 'resume');
  }

  async stop(recordingId: string): Promise<string | undefined> {
    const file = this.files.get(recordingId);
    if (!file) return undefined;
    this.mark(recordingId, 'stop');
    this.files.delete(recordingId);
    await new Promise<void>((resolve, reject) => file.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return file.path;
  }

  private mark(recordingId: string, event: string, extra: Record<string, unknown> = {}): void {
    this.files.get(recordingId)?.out.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...extra })}\n`);
  }
}

/**
 * Seconds recorded in a GeneratedFileMediaSession file: the time between its segment boundaries while not
 * paused (what a player's timeline shows); undefined for a file without a start and a stop.
 */
export function recordedSeconds(lines: string): number | undefined {
  let total = 0;
  let runningSince: number | undefined;
  let started = false;
  for (const line of lines.split('\n')) {
    if (line.trim() === '') continue;
    const { event, at, paused } = JSON.parse(line) as { event: string; at: string; paused?: boolean };
    const time = Date.parse(at);
    if (event === 'start') {
      started = true;
      runningSince = paused ? undefined : time;
    } else if (event === 'resume') {
      runningSince ??= time;
    } else if (event === 'pause' || event === 'stop') {
      if (runningSince !== undefined) total += time - runningSince;
      runningSince = undefined;
      if (event === 'stop') return started ? total / 1000 : undefined;
    }
  }
  return undefined;
}
