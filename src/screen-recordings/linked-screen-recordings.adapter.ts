import { Injectable } from '@nestjs/common';
import { formatTimestamp } from '../common/rws-time';
import { LinkedScreenRecordings, ScreenRecordingLink } from '../recordings/linked-screen-recordings';
import { isPlayable, mediaUriOf } from './screen-recording-view';
import { ScreenRecordingsService } from './screen-recordings.service';

/** The voice side's view of a call's screen recordings: listed with the recording, held with it. */
@Injectable()
export class ScreenRecordingsOfCall extends LinkedScreenRecordings {
  constructor(private readonly screenRecordings: ScreenRecordingsService) {
    super();
  }

  async forCalls(ccid: string, callUuids: string[], baseUrl: string): Promise<Map<string, ScreenRecordingLink[]>> {
    const byCall = new Map<string, ScreenRecordingLink[]>();
    for (const r of await this.screenRecordings.listForCalls(ccid, callUuids)) {
      const links = byCall.get(r.callUuid) ?? [];
      const playable = isPlayable(r);
      links.push({
        id: r.id,
        // Only media that can be played gets a URI: a link must never look playable when it is not.
        ...(playable ? { mediaUri: mediaUriOf(r, r.mediaFiles[0], baseUrl, 'play') } : {}),
        state: r.state,
        playable,
        ...(r.missingReason ? { missingReason: r.missingReason } : {}),
        startTime: formatTimestamp(r.startTime),
        ...(r.stopTime ? { stopTime: formatTimestamp(r.stopTime) } : {}),
      });
      byCall.set(r.callUuid, links);
    }
    return byCall;
  }

  async setNonDelete(ccid: string, callUuids: string[], nonDelete: boolean): Promise<void> {
    for (const uuid of callUuids) await this.screenRecordings.setNonDeleteForCall(ccid, uuid, nonDelete);
  }
}
