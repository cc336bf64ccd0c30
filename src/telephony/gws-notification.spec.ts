import type { DesktopCall } from './call-state/desktop-call';
import { toGwsNotification } from './gws-notification';

describe('toGwsNotification', () => {
  it('wraps a call change in the GWS channel envelope, with the call in GWS’s shape', () => {
    const call = { id: 'U1', connId: 'C1', state: 'Established', participants: [{ number: '+15550001', state: 'Established' }], recordingState: 'Paused' } as DesktopCall;
    expect(toGwsNotification({ kind: 'call', notificationType: 'CallRecordingStateChange', dn: '7001', agentKeys: ['alice'], call, at: 1 })).toEqual({
      channel: '/v2/me/calls',
      data: {
        messageType: 'CallStateChangeMessage',
        notificationType: 'CallRecordingStateChange',
        call: {
          ...call,
          callUuid: 'U1',
          participants: [{ number: '+15550001', state: 'Established', phoneNumber: '+15550001', digits: '+15550001', formattedPhoneNumber: '+15550001' }],
          path: '/calls/U1',
          uri: '/api/v2/me/calls/U1',
        },
      },
    });
  });
});
