import { compareSemver, isBehind, isSemver } from '../common/semver';
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
    if (!isSemver(release.version)) throw new Error(`release version '${release.version}' is not a semantic version`);
    const known = this.latest.get(release.platform);
    if (known && compareSemver(release.version, known.release.version) <= 0) return undefined;
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

  /** Publishes a release and pushes its frame to the recorders of that platform that are behind; returns how many. */
  announce(release: RecorderRelease, recorders: Iterable<{ hello?: { platform: string; clientVersion: string }; send(frame: string): void }>): number {
    const frame = this.publish(release);
    if (!frame) return 0;
    let notified = 0;
    for (const connection of recorders) {
      const hello = connection.hello!;
      if (hello.platform === release.platform && isBehind(hello.clientVersion, release.version)) {
        connection.send(frame);
        notified++;
      }
    }
    return notified;
  }

  /** True when a client of this version is behind `release`. */
  static behind(clientVersion: string, release: RecorderRelease): boolean {
    return isBehind(clientVersion, release.version);
  }
}

function pick(r: RecorderRelease): RecorderRelease {
  return { version: r.version, platform: r.platform, size: r.size, sha256: r.sha256, url: r.url };
}
