import { formatRwsTimestamp, normalizeRwsTimestamp, parseRwsTimestamp } from './rws-time';

describe('RWS timestamps', () => {
  it.each([
    ['2014-12-16T18:42:41Z', '2014-12-16T18:42:41.000+0000'],
    ['2014-12-16T18:42:41.5Z', '2014-12-16T18:42:41.500+0000'],
    ['2014-12-16T18:42:41.123456Z', '2014-12-16T18:42:41.123+0000'],
    ['2014-12-16T18:42:41.000+0000', '2014-12-16T18:42:41.000+0000'],
    ['2014-12-16T20:42:41+02:00', '2014-12-16T18:42:41.000+0000'],
    ['2014-12-16T13:12:41.250-0530', '2014-12-16T18:42:41.250+0000'],
    ['2014-12-31T23:30:00-01:00', '2015-01-01T00:30:00.000+0000'],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeRwsTimestamp(input)).toBe(expected);
  });

  it.each(['2014-12-16 18:42:41Z', '2014-12-16T18:42:41', '2014-02-30T00:00:00Z', '2014-13-01T00:00:00Z', '2014-12-16T24:00:00Z', '1418755361000', '', 'yesterday'])(
    'refuses %p',
    (input) => {
      expect(parseRwsTimestamp(input)).toBeUndefined();
    },
  );

  it('emits millis and +0000 in UTC', () => {
    expect(formatRwsTimestamp(Date.UTC(2020, 0, 2, 3, 4, 5, 6))).toBe('2020-01-02T03:04:05.006+0000');
  });
});
