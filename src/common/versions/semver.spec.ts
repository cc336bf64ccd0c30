import { compareSemVer, isBehind, parseSemVer } from './semver';

function cmp(a: string, b: string): number {
  return compareSemVer(parseSemVer(a)!, parseSemVer(b)!);
}

describe('semantic versions', () => {
  it('orders by major, minor, patch numerically (not as text)', () => {
    expect(cmp('1.10.0', '1.9.9')).toBe(1);
    expect(cmp('2.0.0', '10.0.0')).toBe(-1);
    expect(cmp('1.2.3', 'v1.2.3')).toBe(0);
  });

  it('ranks pre-releases below the release and by the semver.org rules', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    for (let i = 1; i < ordered.length; i++) expect(cmp(ordered[i - 1], ordered[i])).toBe(-1);
  });

  it('ignores build metadata', () => {
    expect(cmp('1.2.3+build.1', '1.2.3+build.2')).toBe(0);
  });

  it('refuses what is not a semantic version', () => {
    for (const bad of ['1.2', '01.2.3', '1.2.3.4', 'latest', '', '1.2.3-']) expect(parseSemVer(bad)).toBeUndefined();
  });

  it('says a client is behind only when both versions parse and it is lower', () => {
    expect(isBehind('1.2.3', '1.3.0')).toBe(true);
    expect(isBehind('1.3.0', '1.3.0')).toBe(false);
    expect(isBehind('2.0.0', '1.3.0')).toBe(false);
    expect(isBehind('dev-build', '1.3.0')).toBe(false);
  });
});
