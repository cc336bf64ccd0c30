import type { DesktopCall } from './call-state/desktop-call';
import type { CallStateChange } from './recording-events';

/** A desktop notification as GWS shapes it on the `/v2/me/calls` channel (api.md §4). */
export interface GwsCallNotification {
  channel: '/v2/me/calls';
  data: {
    messageType: 'CallStateChangeMessage';
    notificationType: CallStateChange['notificationType'];
    call: DesktopCall;
  };
}

/** Shapes a call change for the notifications WebSocket (the gateway decides who receives it: `change.agentKeys`). */
export function toGwsNotification(change: CallStateChange): GwsCallNotification {
  return { channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: change.notificationType, call: change.call } };
}
