import type { Readable } from 'node:stream';

/**
 * Receives the bytes of a read as they arrive. `bytes` may be a view of a buffer the reader reuses: the sink
 * uses (or copies) it before returning. Returning false pauses the read until `ByteRead.resume()`.
 */
export interface ByteSink {
  write(bytes: Buffer): boolean;
  /** All bytes were delivered. */
  end(): void;
  /** The read failed after it was opened (connection lost, stream error); no more calls follow. */
  error(err: Error): void;
}

/**
 * An open read whose bytes are handed to a sink (the object exists and the range is being served: errors
 * such as a missing object came when opening). Nothing is delivered before `start`.
 */
export interface ByteRead {
  /** Begins delivering into `sink` (at most once). */
  start(sink: ByteSink): void;
  /** Continues after `sink.write` returned false (no effect otherwise). */
  resume(): void;
  /** Stops the read and frees what it holds; the sink gets no further calls. */
  cancel(): void;
}

/** A ByteRead over a Readable that yields Buffers (storages without a dedicated reader). */
export function streamByteRead(stream: Readable): ByteRead {
  let sink: ByteSink | undefined;
  let finished = false;
  const finish = (deliver: () => void) => {
    if (finished) return;
    finished = true;
    deliver();
  };
  return {
    start(target) {
      if (sink) throw new Error('a ByteRead starts once');
      sink = target;
      stream.on('data', (chunk: Buffer) => {
        if (!finished && !target.write(chunk)) stream.pause();
      });
      stream.once('end', () => finish(() => target.end()));
      stream.once('error', (err) => finish(() => target.error(err)));
      // A stream closed without 'end' (connection lost) must not look complete.
      stream.once('close', () => finish(() => target.error(new Error('the storage stream closed before its end'))));
    },
    resume() {
      if (sink && !finished) stream.resume();
    },
    cancel() {
      finished = true;
      stream.destroy();
    },
  };
}
