import { formatTimestamp, parseTimestamp } from './rws-time';

describe('audit timestamps', () => {
  it('accepts the ISO-8601 forms of api.md §1', () => {
    const expected = Date.parse('2024-05-01T10:20:30.000Z');
    for (const s of ['2024-05-01T10:20:30Z', '2024-05-01T10:20:30.000Z', '2024-05-01T10:20:30+0000', '2024-05-01T10:20:30.000+00:00', '2024-05-01T12:20:30+0200']) {
      expect(parseTimestamp(s)?.getTime()).toBe(expected);
    }
  });

  it('refuses anything else', () => {
    for (const s of ['yesterday', '2024-05-01', '2024-05-01 10:20:30Z', '2024-13-01T10:20:30Z', '']) expect(parseTimestamp(s)).toBeUndefined();
  });

  it("emits yyyy-MM-dd'T'HH:mm:ss.SSS+0000", () => {
    expect(formatTimestamp('2024-05-01T10:20:30Z')).toBe('2024-05-01T10:20:30.000+0000');
  });
});
