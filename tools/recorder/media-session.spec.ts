import { recordedSeconds } from './media-session';

const line = (event: string, at: string, extra: Record<string, unknown> = {}) => JSON.stringify({ event, at, ...extra });

describe('recordedSeconds (the duration the reference recorder announces with its upload)', () => {
  it('counts the time recorded, not the time paused', () => {
    const file = [
      line('start', '2026-12-06T10:00:00.000Z', { callUuid: 'C1', paused: false }),
      line('pause', '2026-12-06T10:00:10.000Z'),
      line('resume', '2026-12-06T10:00:40.000Z'),
      line('stop', '2026-12-06T10:00:42.500Z'),
      '',
    ].join('\n');
    expect(recordedSeconds(file)).toBe(12.5);
  });

  it('starts counting at the first resume of a recording started paused', () => {
    const file = [line('start', '2026-12-06T10:00:00.000Z', { paused: true }), line('resume', '2026-12-06T10:00:05.000Z'), line('stop', '2026-12-06T10:00:06.000Z')].join('\n');
    expect(recordedSeconds(file)).toBe(1);
  });

  it('knows nothing of a file that never stopped', () => {
    expect(recordedSeconds(line('start', '2026-12-06T10:00:00.000Z'))).toBeUndefined();
  });
});
