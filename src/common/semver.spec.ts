import { compareSemver, isBehind, isSemver } from './semver';

describe('compareSemver', () => {
  it('orders by SemVer precedence', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.11', '1.0.0-beta.2', '1.0.0-rc.1', '0.9.9', '1.10.0', '1.2.0'].sort(compareSemver);
    expect(sorted).toEqual(['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0']);
  });

  it('ignores build metadata and a leading v', () => {
    expect(compareSemver('v1.2.3+build.7', '1.2.3')).toBe(0);
  });

  it('recognises versions', () => {
    expect(isSemver('2.3.4-rc.1')).toBe(true);
    expect(isSemver('2.3')).toBe(false);
    expect(isSemver('2.3.4; rm -rf')).toBe(false);
  });
});

describe('isBehind', () => {
  it('is true only for a valid, strictly older version', () => {
    expect(isBehind('1.2.3', '1.3.0')).toBe(true);
    expect(isBehind('1.3.0', '1.3.0')).toBe(false);
    expect(isBehind('2.0.0', '1.3.0')).toBe(false);
    expect(isBehind('dev-build', '1.3.0')).toBe(false);
  });
});
