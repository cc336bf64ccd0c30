import { Release } from './release';

/** Persistence port for screen-recorder releases. */
export abstract class ReleaseStore {
  /** Stores a release; false when that (platform, version) already exists. */
  abstract create(release: Release): Promise<boolean>;
  abstract get(platform: string, version: string): Promise<Release | undefined>;
  /** Every release of a platform (any order). */
  abstract listByPlatform(platform: string): Promise<Release[]>;
}
