import { isBehind, parseSemVer, compareSemVer } from '../common/versions/semver';
import type { UpdateAvailableMessage } from './recorder-protocol';

/** A published recorder build (api.md §7), as the release module hands it over. */
export interface RecorderRelease {
  version: string;
  platform: string;
  size: number;
  sha256: string;
  url: string;
}

interface Announced {
  release: RecorderRelease;
  /** The `update-available` frame, serialized once for every recorder. */
  frame: string;
}

/** The newest release per platform, and who is behind it. */
export class ReleaseAnnouncements {
  private readonly latest = new Map<string, Announced>();

  /** Records a release; returns its frame when it is the platform's newest (else undefined: nothing to push). */
  publish(release: RecorderRelease): string | undefined {
    const version = parseSemVer(release.version);
    if (!version) throw new Error(`release version '${release.version}' is not a semantic version`);
    const known = this.latest.get(release.platform);
    if (known && compareSemVer(version, parseSemVer(known.release.version)!) <= 0) return undefined;
    const message: UpdateAvailableMessage = { type: 'update-available', ...pick(release) };
    const announced = { release, frame: JSON.stringify(message) };
    this.latest.set(release.platform, announced);
    return announced.frame;
  }

  /** The frame to send a recorder of this platform and version, if it is behind. */
  offerFor(platform: string, clientVersion: string): string | undefined {
    const announced = this.latest.get(platform);
    return announced && isBehind(clientVersion, announced.release.version) ? announced.frame : undefined;
  }

  /** True when a client of this version is behind `release`. */
  static behind(clientVersion: string, release: RecorderRelease): boolean {
    return isBehind(clientVersion, release.version);
  }
}

function pick(r: RecorderRelease): RecorderRelease {
  return { version: r.version, platform: r.platform, size: r.size, sha256: r.sha256, url: r.url };
}
