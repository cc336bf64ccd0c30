import { api } from '../client';
import { ccPath } from './paths';

/** A screen recorder connected to this node (`GET …/recorders`). */
export interface ConnectedRecorder {
  sessionId: string;
  userName: string;
  agentId?: string;
  clientVersion: string;
  platform: string;
  hostname: string;
  connectedAt: string;
  lastStatus?: { state: string; recordingId?: string };
  lastStatusAt?: string;
  pendingCommand?: { commandId: string; action: string; attempts: number };
}

export async function connectedRecorders(ccid: string): Promise<ConnectedRecorder[]> {
  return (await api.get<{ recorders: ConnectedRecorder[] }>(`${ccPath(ccid)}/recorders`)).recorders;
}
