import { compileNumberPattern, normalizePhoneNumber, reverseNumber } from './number-pattern';

describe('phone number patterns', () => {
  it('normalises to ASCII alphanumerics', () => {
    expect(normalizePhoneNumber('+1 (617) 264-0431')).toBe('16172640431');
    expect(normalizePhoneNumber('sip:Agent.7001@host')).toBe('sipAgent7001host');
  });

  it.each([
    ['+16172640431', '16172640431', true],
    ['+16172640431', '16172640432', false],
    ['+1617*', '16172640431', true],
    ['+1617*', '26172640431', false],
    ['*0431', '16172640431', true],
    ['*0431', '16172640432', false],
    ['*264*', '16172640431', true],
    ['*555*', '16172640431', false],
    ['1*4*1', '16172640431', true],
    ['1*4*1', '16172640413', false],
    ['*', '', true],
    ['ab*', 'AB12', false],
    ['AB*', 'AB12', true],
  ])('%s vs %s → %s', (pattern, number, expected) => {
    expect(compileNumberPattern(pattern)!.matches(number)).toBe(expected);
  });

  it('exposes the literal parts an index can use', () => {
    expect(compileNumberPattern('+1 617')).toMatchObject({ exact: '1617' });
    expect(compileNumberPattern('+1617**')).toMatchObject({ text: '1617*', prefix: '1617', suffix: undefined });
    expect(compileNumberPattern('*1234')).toMatchObject({ prefix: undefined, suffix: '1234' });
    expect(compileNumberPattern('*55*5*')).toMatchObject({ prefix: undefined, suffix: undefined });
    expect(compileNumberPattern('+()')).toBeUndefined();
  });

  it('reverses numbers for suffix lookups', () => {
    expect(reverseNumber('12345')).toBe('54321');
  });
});
