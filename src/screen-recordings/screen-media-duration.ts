import { InvalidParameterException } from '../common/errors/rws.exception';

const DURATION = /^\d{1,9}(\.\d{1,6})?$/;

/** Validates the optional `duration` (seconds, e.g. `38.376`) a recorder may announce in Upload-Metadata. */
export function announcedDuration(metadata: Record<string, string>): number | undefined {
  const text = metadata.duration;
  if (text === undefined) return undefined;
  if (!DURATION.test(text)) throw new InvalidParameterException('Upload-Metadata duration', 'seconds as a decimal number, e.g. 38.376');
  return Number(text);
}

/**
 * A stored screen file's `duration` in seconds: what its recorder announced, else the span of the recording
 * (start to stop, as RWS saw them: what a player needs to draw the timeline beside the voice call's).
 */
export function screenMediaDuration(metadata: Record<string, string>, startTime: string, stopTime: string): number | undefined {
  const announced = announcedDuration(metadata);
  if (announced !== undefined) return announced;
  const span = Date.parse(stopTime) - Date.parse(startTime);
  return Number.isFinite(span) && span >= 0 ? Math.round(span) / 1000 : undefined;
}
