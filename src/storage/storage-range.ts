import { InvalidParameterException } from '../common/errors/rws.exception';
import type { ByteRange } from '../common/http/byte-range';

/** A range must be two integers with 0 ≤ start ≤ end; whether it lies within the object is the adapter's check. */
export function assertRangeShape(range: ByteRange): void {
  if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start) {
    throw new InvalidParameterException('range', 'start and end must be integers with 0 <= start <= end');
  }
}
