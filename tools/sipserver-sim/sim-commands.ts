import { KvList, PrivateMsgId } from '../../src/telephony/tlib/tlib-messages';
import { toggleRecordings } from './load-generator';
import type { SimCluster } from './sim-cluster';
import { SimCall, SimError } from './sim-types';

/** Arguments of a command (the JSON body on the control surface, a step in a scenario). */
export type CommandArgs = Record<string, unknown>;

type Command = (sim: SimCluster, args: CommandArgs) => unknown | Promise<unknown>;

const OPERATIONS: Record<string, number> = {
  start: PrivateMsgId.RecordStart,
  stop: PrivateMsgId.RecordStop,
  pause: PrivateMsgId.RecordPause,
  resume: PrivateMsgId.RecordResume,
};

/**
 * Every operation of the simulator's control surface, by name. The HTTP control API (POST /commands/{name})
 * and scenario steps (`{"op": name, …}`) both run these; README.md documents each one.
 */
export const COMMANDS: Record<string, Command> = {
  dn: (sim, a) => sim.model.directory.upsertDn(a as never),
  login: (sim, a) => {
    sim.model.agentLogin({ dn: text(a, 'dn'), agentId: text(a, 'agentId'), record: flag(a, 'record') });
    return sim.model.directory.agentOn(text(a, 'dn'));
  },
  logout: (sim, a) => sim.model.agentLogout(text(a, 'dn')),
  ready: (sim, a) => sim.model.agentState(text(a, 'dn'), 'Ready'),
  'not-ready': (sim, a) => sim.model.agentState(text(a, 'dn'), 'NotReady'),
  call: (sim, a) =>
    ids(sim.model.makeCall({ from: text(a, 'from'), to: text(a, 'to'), type: optionalText(a, 'type'), userData: kv(a, 'userData'), trunk: optionalText(a, 'trunk') })),
  answer: (sim, a) => sim.model.answer(call(sim, a), text(a, 'dn')),
  hold: (sim, a) => sim.model.hold(call(sim, a), text(a, 'dn')),
  retrieve: (sim, a) => sim.model.retrieve(call(sim, a), text(a, 'dn')),
  release: (sim, a) => sim.model.release(call(sim, a), optionalText(a, 'dn')),
  'delete-party': (sim, a) => sim.model.deleteParty(call(sim, a), text(a, 'dn'), optionalText(a, 'by')),
  attach: (sim, a) => sim.model.attachUserData(call(sim, a), kv(a, 'userData') ?? {}),
  transfer: (sim, a) => sim.transfers.singleStepTransfer(call(sim, a), text(a, 'from'), text(a, 'to')),
  consult: (sim, a) => ids(sim.transfers.consult(call(sim, a), text(a, 'from'), text(a, 'to'))),
  'complete-transfer': (sim, a) => ids(sim.transfers.completeTransfer(call(sim, a), text(a, 'from'))),
  'complete-conference': (sim, a) => ids(sim.transfers.completeConference(call(sim, a), text(a, 'from'))),
  conference: (sim, a) => sim.transfers.singleStepConference(call(sim, a), text(a, 'from'), text(a, 'to')),
  route: (sim, a) => sim.transfers.route(call(sim, a), text(a, 'to'), kv(a, 'extensions') ?? {}, optionalText(a, 'from')),
  'private-service': (sim, a) => {
    const target = call(sim, a);
    const operation = optionalText(a, 'operation');
    const msgId = operation !== undefined ? OPERATIONS[operation] : a.msgId;
    if (typeof msgId !== 'number') throw new SimError('operation must be start, stop, pause or resume (or give msgId)');
    const outcome = sim.model.recordings.privateService(target, text(a, 'thisDn'), msgId, kv(a, 'extensions') ?? {});
    if (!outcome.ok) return { ok: false, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
    outcome.apply();
    return { ok: true };
  },
  kill: (sim, a) => sim.kill(text(a, 'server')),
  restart: (sim, a) => sim.restart(text(a, 'server')),
  faults: (sim, a) => sim.setFaults(a as never),
  reset: (sim) => sim.reset(),
  state: (sim) => sim.state(),
  wait: (_sim, a) => {
    const ms = a.ms;
    if (!Number.isSafeInteger(ms) || (ms as number) < 0 || (ms as number) > 600_000) throw new SimError('ms must be 0..600000');
    return new Promise((resolve) => setTimeout(resolve, ms as number));
  },
  load: (sim, a) => toggleRecordings(sim, { count: positive(a, 'count'), ratePerSec: positive(a, 'ratePerSec') }),
};

/** Runs one command by name. */
export async function runCommand(sim: SimCluster, name: string, args: CommandArgs): Promise<unknown> {
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new SimError(`unknown command ${name}`, 404);
  const result = await command(sim, args ?? {});
  return result ?? { ok: true };
}

function ids(call: SimCall): { connId: string; callUuid: string } {
  return { connId: call.connId, callUuid: call.callUuid };
}

function call(sim: SimCluster, a: CommandArgs): SimCall {
  return sim.model.call(text(a, 'call'));
}

function text(a: CommandArgs, key: string): string {
  const value = a[key];
  if (typeof value !== 'string' || value.length === 0) throw new SimError(`${key} is required (a string)`);
  return value;
}

function optionalText(a: CommandArgs, key: string): string | undefined {
  return a[key] === undefined ? undefined : text(a, key);
}

function flag(a: CommandArgs, key: string): boolean | undefined {
  const value = a[key];
  if (value !== undefined && typeof value !== 'boolean') throw new SimError(`${key} must be true or false`);
  return value;
}

function kv(a: CommandArgs, key: string): KvList | undefined {
  const value = a[key];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SimError(`${key} must be an object`);
  return value as KvList;
}

function positive(a: CommandArgs, key: string): number {
  const value = a[key];
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new SimError(`${key} must be a positive integer`);
  return value as number;
}
