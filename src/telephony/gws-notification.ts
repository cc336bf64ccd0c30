import type { DesktopCall } from './call-state/desktop-call';
import type { TrackedPartyState } from './call-state/tracked-call';
import type { CallStateChange } from './recording-events';

/** A participant as GWS shows it (`phoneNumber`, `digits`, `formattedPhoneNumber`), keeping RWS's `number`/`state`. */
export interface GwsParticipant {
  number: string;
  state: TrackedPartyState;
  phoneNumber: string;
  digits: string;
  formattedPhoneNumber: string;
}

/** A call in GWS's shape: the desktop call plus `callUuid`, GWS participants, and the call's `path`/`uri`. */
export type GwsCall = Omit<DesktopCall, 'participants'> & {
  callUuid: string;
  participants: GwsParticipant[];
  /** The call's resource path relative to the user (`/calls/{id}`), as GWS gives it. */
  path: string;
  /** The call's resource (`/api/v2/me/calls/{id}`). */
  uri: string;
};

/** A desktop notification as GWS shapes it on the `/v2/me/calls` channel (api.md §4, compat.md §5). */
export interface GwsCallNotification {
  channel: '/v2/me/calls';
  data: {
    messageType: 'CallStateChangeMessage';
    notificationType: CallStateChange['notificationType'];
    call: GwsCall;
  };
}

/** The call as GWS clients read it (id = CallUUID, also under `callUuid`; `connId`; GWS participants). */
export function toGwsCall(call: DesktopCall): GwsCall {
  const participants = call.participants.map(({ number, state }) => ({ number, state, phoneNumber: number, digits: number, formattedPhoneNumber: number }));
  return { ...call, callUuid: call.id, participants, path: `/calls/${call.id}`, uri: `/api/v2/me/calls/${call.id}` };
}

/** Shapes a call change for desktop notifications (the transports decide who receives it: `change.agentKeys`). */
export function toGwsNotification(change: CallStateChange): GwsCallNotification {
  return { channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: change.notificationType, call: toGwsCall(change.call) } };
}
