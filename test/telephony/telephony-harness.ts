import { Logger } from '@nestjs/common';
import { InProcessRecordingEvents, RecordingEvent, TelephonyEvent } from '../../src/telephony/recording-events';
import { SipServerEventSource, SipServerSourceOptions } from '../../src/telephony/sip-server-event-source';
import { TelephonyService } from '../../src/telephony/telephony.service';
import { RunningSimulator, runCommand, SimCluster, SimulatorOptions, startSimulator } from '../../tools/sipserver-sim';
import { expectEventually } from '../support/test-app';

/** A silent logger for links under test (fuzzing logs on purpose). */
export const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** What simulator commands return (calls: their ids). */
export type CommandResult = { connId: string; callUuid: string } & Record<string, unknown>;

/** The simulator plus RWS's telephony stack (link, registry, state machine, service) wired to it. */
export interface TelephonyHarness {
  running: RunningSimulator;
  sim: SimCluster;
  source: SipServerEventSource;
  service: TelephonyService;
  events: TelephonyEvent[];
  /** Runs a simulator command (as the control surface would). */
  run(op: string, args?: Record<string, unknown>): Promise<CommandResult>;
  /** Recording events published so far (optionally for one DN), as `type:dn` strings. */
  recordingLog(dn?: string): string[];
  recordingEvents(dn?: string): RecordingEvent[];
  close(): Promise<void>;
}

/** Fast reconnects and short waits: tests should not sit in backoff. */
export const FAST_LINK: SipServerSourceOptions['link'] = {
  backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.2 },
  requestTimeoutMs: 2000,
  reorderWindowMs: 50,
};

export async function startTelephony(
  options: { sim?: SimulatorOptions; source?: Partial<SipServerSourceOptions> } = {},
): Promise<TelephonyHarness> {
  Logger.overrideLogger(false);
  const running = await startSimulator({ port: 0, ...options.sim });
  const bus = new InProcessRecordingEvents();
  const events: TelephonyEvent[] = [];
  bus.subscribe((e) => {
    events.push(e);
  });
  const source = new SipServerEventSource(
    { addresses: running.addresses, logger: quietLogger, resyncDelayMs: 10, ...options.source, link: { ...FAST_LINK, ...options.source?.link } },
    bus,
  );
  await source.start();
  await expectEventually(() => source.isUp());
  const recordingEvents = (dn?: string) =>
    events.filter((e): e is RecordingEvent => e.kind === 'recording' && (dn === undefined || e.agentDn === dn));
  return {
    running,
    sim: running.sim,
    source,
    service: new TelephonyService(source, bus),
    events,
    run: (op, args = {}) => runCommand(running.sim, op, args) as Promise<CommandResult>,
    recordingEvents,
    recordingLog: (dn) => recordingEvents(dn).map((e) => `${e.type}:${e.agentDn}`),
    close: async () => {
      await source.stop();
      await running.stop();
    },
  };
}

/** The simulator's recordings of the given DNs as `callUuid/dn/state` (state: recording | paused). */
export function simRecordings(sim: SimCluster, dns: string[]): string[] {
  return sim.model
    .allCalls()
    .flatMap((c) => [...c.recordings.values()].map((r) => ({ uuid: c.callUuid, dn: r.dn, state: r.state === 'ON' ? 'recording' : 'paused' })))
    .filter((r) => dns.includes(r.dn))
    .map((r) => `${r.uuid}/${r.dn}/${r.state}`)
    .sort();
}

/** What RWS believes about the same DNs, in the same form. */
export function rwsRecordings(source: SipServerEventSource, dns: string[]): string[] {
  return source.state
    .recordings()
    .filter((r) => dns.includes(r.dn))
    .map((r) => `${r.callUuid}/${r.dn}/${r.state}`)
    .sort();
}

/** Configures agent DNs in the simulator and starts RWS agent sessions on them. */
export async function agents(h: TelephonyHarness, list: { dn: string; agentId?: string; record?: boolean; recordConsult?: boolean; loginRecord?: boolean }[]): Promise<void> {
  for (const a of list) {
    await h.run('dn', { number: a.dn, record: a.record ?? false, recordConsult: a.recordConsult ?? false });
    if (a.agentId) await h.run('login', { dn: a.dn, agentId: a.agentId, record: a.loginRecord ?? false });
    const status = await h.service.startAgentSession(`user-${a.dn}`, `Place_${a.dn}`, [{ dn: a.dn }]);
    expect(status.devices[0].state).toBe('registered');
  }
}

export { expectEventually };
