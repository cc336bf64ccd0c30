import { api } from '../client';
import { ccPath } from './paths';

/** A connected screen recorder (`GET …/recorders`); in a cluster, `node` is the URL of the node it is connected to. */
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
  node?: string;
}

/** The recorders connected anywhere in the cluster, and the live nodes that did not answer (their recorders are missing). */
export interface RecorderList {
  recorders: ConnectedRecorder[];
  unreachableNodes: string[];
}

export async function connectedRecorders(ccid: string): Promise<RecorderList> {
  const answer = await api.get<{ recorders: ConnectedRecorder[]; unreachableNodes?: string[] }>(`${ccPath(ccid)}/recorders`);
  return { recorders: answer.recorders, unreachableNodes: answer.unreachableNodes ?? [] };
}
