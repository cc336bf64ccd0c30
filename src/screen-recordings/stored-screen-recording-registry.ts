import { Injectable } from '@nestjs/common';
import { CreatedScreenRecording, ScreenRecordingChange, ScreenRecordingRegistry } from '../recorders/screen-recording-registry.port';
import { UserStore } from '../identity/users/user.store';
import { ScreenRecordingsService } from './screen-recordings.service';

/** Records each screen recording RWS starts in the metadata store, so its upload can be linked and checked. */
@Injectable()
export class StoredScreenRecordingRegistry extends ScreenRecordingRegistry {
  constructor(
    private readonly recordings: ScreenRecordingsService,
    private readonly users: UserStore,
  ) {
    super();
  }

  async created(recording: CreatedScreenRecording): Promise<void> {
    if (!recording.ccid) return; // the ops account has no contact center to record into
    // The agent's hierarchy at the start decides who may see the recording later (api.md §2).
    const user = await this.users.get(recording.ccid, recording.userName);
    await this.recordings.started({
      agentHierarchy: user?.agentHierarchy,
      recordingId: recording.recordingId,
      ccid: recording.ccid,
      userName: recording.userName,
      agentId: recording.agentId,
      callUuid: recording.callUuid,
      connId: recording.connId,
      partitions: recording.partitions,
      at: recording.startedAt,
    });
  }

  override async changed(change: ScreenRecordingChange): Promise<void> {
    if (!change.ccid) return;
    if (change.state === 'missing') await this.recordings.missing(change.ccid, change.recordingId, change.reason, change.at);
    else await this.recordings.stateChanged(change.ccid, change.recordingId, change.state, change.at, change.userName);
  }
}
