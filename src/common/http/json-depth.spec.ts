import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';

const nested = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));

describe('exceedsJsonDepth', () => {
  it('accepts the limit and refuses one level more, for arrays and objects', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth(Buffer.from('{"a":'.repeat(65) + '1' + '}'.repeat(65)))).toBe(true);
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(exceedsJsonDepth(Buffer.from('[' + '[[]],'.repeat(1000) + '[]]'))).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ text: '['.repeat(500), quoted: '"{{{{"'.repeat(100) })))).toBe(false);
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ s: 'a\\"' }) + '['.repeat(70)))).toBe(true);
  });
});
