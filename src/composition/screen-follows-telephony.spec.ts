import { Logger } from '@nestjs/common';
import type { RecordersService } from '../recorders/recorders.service';
import type { RecordingSignal } from '../recorders/recording-signals';
import { InProcessRecordingEvents } from '../telephony/recording-events';
import type { TelephonyService } from '../telephony/telephony.service';
import { ScreenFollowsTelephony } from './screen-follows-telephony';

describe('ScreenFollowsTelephony', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('turns a recording first learned paused into a paused signal: the screen never records before the pause', () => {
    const events = new InProcessRecordingEvents();
    const signals: string[] = [];
    const telephony = { sessionAgent: () => ({ ccid: 'cc', userName: 'alice' }) } as unknown as TelephonyService;
    const recorders = { onSignal: (s: RecordingSignal) => signals.push(`${s.type} ${s.callUuid}`) } as unknown as RecordersService;
    const wiring = new ScreenFollowsTelephony(events, telephony, recorders);
    wiring.onApplicationBootstrap();
    const base = { kind: 'recording' as const, agentDn: '7001', agentKeys: ['cc/alice'], connId: 'c1', partitions: [], cause: 'resync' as const, at: Date.now() };
    events.publish({ ...base, type: 'started', callUuid: 'PAUSED-CALL', pausedAtStart: true });
    events.publish({ ...base, type: 'paused', callUuid: 'PAUSED-CALL' });
    events.publish({ ...base, type: 'started', callUuid: 'OTHER-CALL' });
    wiring.onApplicationShutdown();
    expect(signals).toEqual(['paused PAUSED-CALL', 'paused PAUSED-CALL', 'started OTHER-CALL']);
  });
});
