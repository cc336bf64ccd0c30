import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LeaseStore } from '../cluster/lease.store';
import { CoalescedPass } from '../common/async/coalesced-pass';
import { NodeInstance } from '../cluster/node-instance';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ScreenRecording } from './screen-recording';
import { ScreenEventOutbox } from './screen-event-outbox';
import { isRecorderState, ScreenRecordingLifecycle } from './screen-recording-lifecycle';
import { ScreenRecordingStore } from './screen-recording.store';

export const DETECTOR_LEASE = 'screen-missing-detector';
/** Each node's liveness: held (and renewed every pass) by the node that follows its recordings. */
const NODE_LEASE = (node: string) => `screen-node:${node}`;
const PAGE = 200;

/**
 * The missing-recording detector (docs/lifecycle.md). Every `RWS_SCREEN_MISSING_CHECK_SECONDS` one node of
 * the cluster (lease `screen-missing-detector`) walks the open screen recordings in the store:
 * - events left in a recording's outbox (a failed relay) are sent;
 * - a recording still `recording`/`paused` whose node is gone (a restart, a crash) and that no node took over
 *   within RWS_SCREEN_TAKEOVER_GRACE_SECONDS is stopped: nobody follows it any more (its stop time is its last
 *   change). The grace spans passes: a takeover (the agent's new home announcing the start again) needs a few
 *   seconds after the old node's exit, and a pass falling in between must not stop a call still recorded;
 * - a stopped recording without media for `RWS_SCREEN_MISSING_AFTER_SECONDS` becomes `missing`, with the
 *   reason (upload failed, or never uploaded), and its one `missing` event.
 * Its state is the store itself, so it resumes after a restart where it was.
 */
@Injectable()
export class ScreenMissingDetector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ScreenRecordings');
  /**
   * When this node's passes first saw each open recording's node gone (`ccid/id@node`). In memory: a node that
   * becomes the detector starts the grace afresh, which only delays a stop.
   */
  private readonly goneSince = new Map<string, number>();
  private readonly passes = new CoalescedPass(
    () => this.runPass(),
    (err) => this.logger.warn({ msg: 'missing-recording detector pass failed', error: err.message }),
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScreenRecordingStore,
    private readonly node: NodeInstance,
    private readonly lifecycle: ScreenRecordingLifecycle,
    private readonly outbox: ScreenEventOutbox,
    private readonly leases: LeaseStore,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.recorders.missingCheckMs > 0) this.passes.every(this.config.recorders.missingCheckMs, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.passes.stop();
    // A graceful stop says at once that this node follows nothing any more.
    await this.leases.release(NODE_LEASE(this.node.id), this.node.id).catch(() => undefined);
    await this.leases.release(DETECTOR_LEASE, this.node.id).catch(() => undefined);
  }

  /** One pass now (tests): resolves once no pass runs any more. */
  runOnce(): Promise<void> {
    this.passes.request();
    return this.passes.idle();
  }

  private get leaseMs(): number {
    return Math.max(1_000, 3 * this.config.recorders.missingCheckMs);
  }

  private async runPass(): Promise<void> {
    await this.leases.acquire(NODE_LEASE(this.node.id), this.node.id, this.leaseMs);
    if (!(await this.leases.acquire(DETECTOR_LEASE, this.node.id, this.leaseMs))) return;
    const alive = new Map<string, Promise<boolean>>();
    const seenGone = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.store.listOpen(PAGE, after);
      for (const recording of page) {
        if (this.passes.stopping) return;
        await this.check(recording, alive, seenGone);
      }
      if (page.length < PAGE) break;
      after = `${page[page.length - 1].ccid}/${page[page.length - 1].id}`;
      if (!(await this.leases.acquire(DETECTOR_LEASE, this.node.id, this.leaseMs))) return;
    }
    // A whole pass done: what it did not see gone any more (taken over, stopped, deleted) is forgotten.
    for (const key of this.goneSince.keys()) if (!seenGone.has(key)) this.goneSince.delete(key);
  }

  private async check(found: ScreenRecording, alive: Map<string, Promise<boolean>>, seenGone: Set<string>): Promise<void> {
    let recording: ScreenRecording | undefined = found;
    if (recording.outbox?.length) await this.outbox.relay(recording);
    if (isRecorderState(recording.state)) {
      const node = recording.node;
      if (node !== undefined && !alive.has(node)) alive.set(node, this.isAlive(node));
      if (node !== undefined && (await alive.get(node))) return;
      const key = `${recording.ccid}/${recording.id}@${node ?? ''}`;
      seenGone.add(key);
      const since = this.goneSince.get(key) ?? Date.now();
      this.goneSince.set(key, since);
      if (Date.now() - since < this.config.recorders.takeoverGraceMs) return;
      this.goneSince.delete(key);
      this.logger.warn({ msg: 'screen recording left recording by a node that is gone: stopped', ccid: recording.ccid, recordingId: recording.id, node });
      recording = await this.lifecycle.stateChanged(recording.ccid, recording.id, 'stopped', recording.updatedAt);
    }
    if (recording?.state !== 'stopped' || recording.mediaFiles.length > 0) return;
    const stoppedAt = Date.parse(recording.stopTime ?? recording.updatedAt);
    if (Date.now() - stoppedAt < this.config.recorders.uploadGraceMs) return;
    await this.lifecycle.missing(recording.ccid, recording.id, recording.uploadError ? 'upload-failed' : 'recorder-never-uploaded', new Date().toISOString());
  }

  /** Whether the node still holds its liveness lease (taking it means it had expired or been released). */
  private async isAlive(node: string): Promise<boolean> {
    if (node === this.node.id) return true;
    const probe = `probe:${this.node.id}`;
    if (!(await this.leases.acquire(NODE_LEASE(node), probe, 1))) return true;
    await this.leases.release(NODE_LEASE(node), probe).catch(() => undefined);
    return false;
  }
}
