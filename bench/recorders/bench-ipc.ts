/** Messages between the benchmark (parent, the server side) and its load client (child process). */
export type ParentMessage =
  /** `offset`: the first agent number (several load clients of one cluster bench connect distinct agents). */
  | { cmd: 'connect'; mode: 'rws' | 'bare' | 'bare-ack'; url: string; count: number; status: boolean; offset?: number }
  | { cmd: 'expect'; total: number; indices: number }
  | { cmd: 'close' };

export type ChildMessage =
  | { event: 'connected'; count: number; ms: number }
  | { event: 'ready' }
  | { event: 'round'; receivedAt: number[] }
  | { event: 'closed' }
  | { event: 'failed'; message: string };

/** Messages between the benchmark and a baseline server (a bare `ws` server in its own process). */
export type BaselineCommand =
  | { cmd: 'fire'; total: number; indices: number[]; action: string; paceMs?: number }
  | { cmd: 'close' };

export type BaselineEvent =
  | { event: 'listening'; port: number }
  | { event: 'fired'; firedAt: number[]; cpuMicrosPerSignal: number }
  | { event: 'closed' }
  | { event: 'failed'; message: string };
