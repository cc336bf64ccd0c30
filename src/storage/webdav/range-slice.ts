import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';

/**
 * The `length` bytes of `source` starting at `offset`, for a server that answered a Range request with the
 * whole body (200). Stops reading — destroying the upstream response — as soon as the slice is complete, and
 * destroys the upstream too when the consumer gives up early.
 */
export function sliceStream(source: IncomingMessage, offset: number, length: number): Readable {
  const out = new PassThrough();
  let position = 0;
  let remaining = length;
  const finish = () => {
    source.off('data', onData);
    source.destroy();
  };
  const onData = (chunk: Buffer) => {
    const from = Math.max(0, offset - position);
    position += chunk.length;
    if (from >= chunk.length || remaining === 0) return;
    const part = chunk.subarray(from, from + remaining);
    remaining -= part.length;
    const more = out.write(part);
    if (remaining === 0) {
      finish();
      out.end();
    } else if (!more) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  };
  source.on('data', onData);
  source.once('end', () => {
    if (remaining > 0) out.destroy(new Error(`upstream body ended ${remaining} bytes before the end of the range`));
  });
  source.once('error', (err) => {
    if (remaining > 0) out.destroy(err);
  });
  out.once('close', () => {
    if (remaining > 0) finish();
  });
  if (length === 0) {
    finish();
    out.end();
  }
  return out;
}
