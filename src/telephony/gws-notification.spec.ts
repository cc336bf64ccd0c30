import type { DesktopCall } from './call-state/desktop-call';
import { toGwsNotification } from './gws-notification';

describe('toGwsNotification', () => {
  it('wraps a call change in the GWS channel envelope', () => {
    const call = { id: 'U1', recordingState: 'Paused' } as DesktopCall;
    expect(toGwsNotification({ kind: 'call', notificationType: 'CallRecordingStateChange', dn: '7001', agentKeys: ['alice'], call, at: 1 })).toEqual({
      channel: '/v2/me/calls',
      data: { messageType: 'CallStateChangeMessage', notificationType: 'CallRecordingStateChange', call },
    });
  });
});
