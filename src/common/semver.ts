/** Parsed `major.minor.patch[-prerelease]`. */
interface Semver {
  core: [number, number, number];
  prerelease: string[];
}

const SEMVER = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

function parse(value: string): Semver {
  const m = SEMVER.exec(value);
  if (!m) throw new Error(`not a semantic version: ${value}`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], prerelease: m[4] ? m[4].split('.') : [] };
}

/** Orders two semantic versions (SemVer 2.0 precedence): negative when a < b. */
export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] - y.core[i];
  if (!x.prerelease.length || !y.prerelease.length) return y.prerelease.length - x.prerelease.length;
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** True when `current` is a valid version strictly lower than `latest`; unparsable input is never "behind". */
export function isBehind(current: string, latest: string): boolean {
  return isSemver(current) && isSemver(latest) && compareSemver(current, latest) < 0;
}
