import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReleasesService } from '../releases/releases.service';
import { RecordersService } from './recorders.service';

/** Pushes `update-available` to connected recorders that are behind when a release is published. */
@Injectable()
export class ReleaseForwarding implements OnModuleInit {
  constructor(
    private readonly releases: ReleasesService,
    private readonly recorders: RecordersService,
  ) {}

  onModuleInit(): void {
    this.releases.onPublished((release, url) => {
      // A staged rollout is offered through the latest-release endpoint, agent by agent; only a full
      // rollout is pushed to everyone connected.
      if (release.rolloutPercent < 100) return;
      this.recorders.announceRelease({ version: release.version, platform: release.platform, size: release.size, sha256: release.sha256, url });
    });
  }
}
