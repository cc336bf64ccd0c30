import type { AgentStateChange } from '../telephony/recording-events';

/** GWS user states of a device. */
export type GwsUserState = 'Ready' | 'NotReady' | 'LoggedOut';

/** An agent state change as GWS shapes it on the `/v2/me/devices` channel (DeviceStateChangeMessage). */
export interface GwsDeviceNotification {
  channel: '/v2/me/devices';
  data: {
    messageType: 'DeviceStateChangeMessage';
    devices: {
      id: string;
      deviceState: 'Active';
      phoneNumber: string;
      userState: { state: GwsUserState; workMode?: string; reasonCode?: string; agentId?: string };
    }[];
  };
}

/** A login leaves the agent NotReady (until Ready, or AutoIn); a logout shows LoggedOut. */
const USER_STATES: Record<AgentStateChange['state'], GwsUserState> = { LoggedIn: 'NotReady', NotReady: 'NotReady', Ready: 'Ready', LoggedOut: 'LoggedOut' };

/** Shapes an agent state change for the desktop (its device is the DN). */
export function toGwsDeviceNotification(change: AgentStateChange): GwsDeviceNotification {
  const reasonCode = change.reasons?.ReasonCode;
  const userState = {
    state: USER_STATES[change.state],
    ...(change.workMode ? { workMode: change.workMode } : {}),
    ...(typeof reasonCode === 'string' ? { reasonCode } : {}),
    ...(change.agentId ? { agentId: change.agentId } : {}),
  };
  return {
    channel: '/v2/me/devices',
    data: { messageType: 'DeviceStateChangeMessage', devices: [{ id: change.dn, deviceState: 'Active', phoneNumber: change.dn, userState }] },
  };
}
