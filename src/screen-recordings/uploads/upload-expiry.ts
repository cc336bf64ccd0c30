import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { TusUploadsService } from './tus-uploads.service';
import { UploadStore } from './upload.store';

/** Longest pause between two sweeps for expired uploads. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/**
 * Removes abandoned uploads (tus `expiration`): every node sweeps the shared store every quarter of
 * RWS_UPLOAD_EXPIRY_SECONDS (at most every minute). Safe on several nodes at once: an upload goes only by a
 * compare-and-set on the version the sweep saw, so a PATCH acknowledged meanwhile keeps it, and of two
 * sweeping nodes one removes it.
 */
@Injectable()
export class UploadExpirySweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Uploads');
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: UploadStore,
    private readonly uploads: TusUploadsService,
  ) {
    this.intervalMs = Math.max(250, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(config.uploads.expiryMs / 4)));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** One sweep over every upload of the cluster. */
  async sweep(): Promise<void> {
    try {
      for (const upload of await this.store.activity()) {
        if (this.uploads.isExpired(upload)) await this.uploads.expire(upload.id, upload.version).catch((err: Error) => this.logger.warn({ msg: 'expired upload not removed yet', uploadId: upload.id, error: err.message }));
      }
    } catch (err) {
      this.logger.warn({ msg: 'sweep for expired uploads failed', error: (err as Error).message });
    }
  }
}
