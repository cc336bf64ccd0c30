import { Injectable } from '@nestjs/common';
import { Release } from '../../releases/release';
import { ReleaseStore } from '../../releases/release.store';
import { EmbeddedDatabase } from './embedded-database';

const RELEASES = 'releases';

/** ReleaseStore on the embedded database. */
@Injectable()
export class EmbeddedReleaseStore extends ReleaseStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(release: Release): Promise<boolean> {
    return this.db.putIfAbsent(RELEASES, `${release.platform}/${release.version}`, { ...release });
  }

  async get(platform: string, version: string): Promise<Release | undefined> {
    const row = this.db.get(RELEASES, `${platform}/${version}`);
    return row as Release | undefined;
  }

  async listByPlatform(platform: string): Promise<Release[]> {
    return [...this.db.values(RELEASES)].filter((r) => r.platform === platform).map((r) => r as unknown as Release);
  }
}
