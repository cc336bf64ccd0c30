import { createServer, Server, Socket } from 'node:net';
import { TlibLineDecoder } from '../../src/telephony/tlib/tlib-codec';
import type { TlibMessage } from '../../src/telephony/tlib/tlib-messages';
import type { CallModel, SimEvent } from './call-model';
import { SimErrorCode } from './sim-types';

/** Faults the simulator injects into the events it sends (counters of events still to affect). */
export interface SimFaults {
  /** Send the next N events twice (same sequence number). */
  duplicate: number;
  /** Skip the next N events (their sequence numbers are used: the client sees a gap). */
  drop: number;
  /** Send each of the next N events after the one that follows it. */
  reorder: number;
  /** Precede the next N events with a line of garbage. */
  garbage: number;
  /** Leave the next N requests unanswered. */
  swallowRequests: number;
}

/** What a server needs from the simulator it belongs to. */
export interface SimServerHost {
  readonly model: CallModel;
  readonly faults: SimFaults;
  readonly strictDns: boolean;
  log(entry: Record<string, unknown>): void;
}

export type ServerRole = 'active' | 'standby' | 'dead';

const REORDER_FLUSH_MS = 20;

/** One client connection: its registered DNs and its own event numbering. */
class SimLink {
  readonly registered = new Set<string>();
  private sequence = 0;
  private queue: string[] = [];
  private flushScheduled = false;
  private held: string | undefined;
  private heldTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: Socket,
    private readonly server: SimServer,
  ) {}

  /** Sends a message with this link's next sequence number; `faulty` events are subject to injected faults. */
  send(body: string, faulty: boolean): void {
    const line = this.stamp(body);
    const faults = this.server.host.faults;
    if (!faulty) {
      this.enqueue(line);
      return;
    }
    if (faults.drop > 0) {
      faults.drop--;
      return;
    }
    if (faults.garbage > 0) {
      faults.garbage--;
      this.enqueue('{"message":"EventRinging",\u0001garbage\n');
    }
    if (faults.reorder > 0 && this.held === undefined) {
      faults.reorder--;
      this.held = line;
      this.heldTimer = setTimeout(() => this.releaseHeld(), REORDER_FLUSH_MS);
      return;
    }
    this.enqueue(line);
    if (faults.duplicate > 0) {
      faults.duplicate--;
      this.enqueue(line);
    }
    this.releaseHeld();
  }

  close(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.socket.destroy();
  }

  private stamp(body: string): string {
    const now = performance.timeOrigin + performance.now();
    const secs = Math.floor(now / 1000);
    const usecs = Math.floor((now - secs * 1000) * 1000);
    return `${body.slice(0, -1)},"EventSequenceNumber":${++this.sequence},"ServerStartTime":${this.server.startTime},"TimeinSecs":${secs},"TimeinuSecs":${usecs}}\n`;
  }

  private releaseHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    if (this.held === undefined) return;
    const held = this.held;
    this.held = undefined;
    this.enqueue(held);
  }

  /** Lines written in one go per tick: fewer syscalls under load, order kept. */
  private enqueue(line: string): void {
    this.queue.push(line);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const data = this.queue.join('');
      this.queue = [];
      if (!this.socket.destroyed) this.socket.write(data);
    });
  }
}

/**
 * One SIP Server of the simulator: a TCP listener speaking the JSON-lines T-Library protocol. The active
 * server greets clients with EventLinkConnected and serves them; a standby (backup) greets with
 * EventLinkDisconnected and closes; a dead (killed) one does not listen.
 */
export class SimServer {
  role: ServerRole = 'dead';
  startTime = 0;
  private listener: Server | undefined;
  private readonly links = new Set<SimLink>();

  constructor(
    readonly name: string,
    readonly host: SimServerHost,
    private readonly bindHost: string,
    public port: number,
  ) {}

  /** Starts listening (again) with a new incarnation; resolves with the bound port. */
  async listen(role: 'active' | 'standby', startTime: number): Promise<number> {
    const listener = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.port, this.bindHost, () => resolve());
    });
    listener.on('error', (err) => this.host.log({ msg: 'listener error', server: this.name, error: err.message }));
    this.listener = listener;
    this.port = (listener.address() as { port: number }).port;
    this.role = role;
    this.startTime = startTime;
    return this.port;
  }

  /** Stops listening and drops every connection (a crash, as far as clients can tell). */
  async kill(): Promise<void> {
    this.role = 'dead';
    for (const link of this.links) link.close();
    this.links.clear();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  /** Delivers a model event to every link that registered its DN. */
  deliver(dn: string, event: SimEvent): void {
    if (this.role !== 'active') return;
    let body: string | undefined;
    for (const link of this.links) {
      if (!link.registered.has(dn)) continue;
      body ??= JSON.stringify(event);
      link.send(body, true);
    }
  }

  /** Connected clients and their registrations, for the state listing. */
  describeLinks(): { remote: string; registered: string[] }[] {
    return [...this.links].map((l) => ({ remote: `${l.socket.remoteAddress}:${l.socket.remotePort}`, registered: [...l.registered] }));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const link = new SimLink(socket, this);
    if (this.role !== 'active') {
      link.send(JSON.stringify({ message: 'EventLinkDisconnected', ServerName: this.name, ServerRole: 'backup' }), false);
      setImmediate(() => socket.end());
      return;
    }
    this.links.add(link);
    socket.on('close', () => this.links.delete(link));
    link.send(JSON.stringify({ message: 'EventLinkConnected', ServerName: this.name, ServerRole: this.name === 'backup' ? 'backup' : 'primary' }), false);
    const decoder = new TlibLineDecoder(64 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) {
        if (line.kind !== 'message') {
          this.host.log({ msg: 'ignored client line', server: this.name, kind: line.kind, reason: line.kind === 'invalid' ? line.reason : line.name });
          continue;
        }
        try {
          this.request(link, line.message);
        } catch (err) {
          this.host.log({ msg: 'request failed', server: this.name, error: (err as Error).message });
          this.answer(link, { message: 'EventError', ReferenceID: line.message.ReferenceID, ErrorCode: SimErrorCode.Unsupported, ErrorMessage: 'Internal simulator error' });
        }
      }
    });
  }

  private request(link: SimLink, request: TlibMessage): void {
    const { model, faults } = this.host;
    if (faults.swallowRequests > 0 && request.message.startsWith('Request')) {
      faults.swallowRequests--;
      return;
    }
    const referenceId = request.ReferenceID;
    const dn = request.ThisDN as string;
    const refuse = (errorCode: number, errorMessage: string) =>
      this.answer(link, { message: 'EventError', ReferenceID: referenceId, ThisDN: dn, ErrorCode: errorCode, ErrorMessage: errorMessage });
    switch (request.message) {
      case 'RequestRegisterAddress':
      case 'RequestQueryAddress': {
        if (!model.directory.isSwitchDn(dn)) {
          if (this.host.strictDns) return refuse(SimErrorCode.InvalidDn, `Invalid DN ${dn}`);
          model.directory.upsertDn({ number: dn });
        }
        if (request.message === 'RequestRegisterAddress') link.registered.add(dn);
        const agent = model.directory.agentOn(dn);
        return this.answer(link, {
          message: request.message === 'RequestRegisterAddress' ? 'EventRegistered' : 'EventAddressInfo',
          ReferenceID: referenceId,
          ThisDN: dn,
          ...(agent ? { AgentID: agent.agentId } : {}),
          Calls: model.snapshotFor(dn),
        });
      }
      case 'RequestUnregisterAddress':
        link.registered.delete(dn);
        return this.answer(link, { message: 'EventUnregistered', ReferenceID: referenceId, ThisDN: dn });
      case 'RequestPrivateService': {
        if (!link.registered.has(dn)) return refuse(SimErrorCode.DnNotRegistered, `DN ${dn} is not registered by this client`);
        const call = model.find(request.ConnID as string);
        const outcome = model.recordings.privateService(call?.connId === request.ConnID ? call : undefined, dn, request.PrivateMsgID as number, request.Extensions);
        if (!outcome.ok) return refuse(outcome.errorCode, outcome.errorMessage);
        this.answer(link, { message: 'EventACK', ReferenceID: referenceId, ThisDN: dn, ConnID: request.ConnID, PrivateMsgID: request.PrivateMsgID });
        outcome.apply();
        return;
      }
      case 'RequestAgentLogin':
      case 'RequestAgentLogout':
      case 'RequestAgentReady':
      case 'RequestAgentNotReady':
        return this.agentRequest(link, request, refuse);
      default:
        return refuse(SimErrorCode.Unsupported, `${request.message} is not supported`);
    }
  }

  /**
   * Agent requests on a DN this client registered: EventACK to the requester, then the agent event to every
   * client registered on the DN (a real server answers with the event itself; RWS accepts both).
   */
  private agentRequest(link: SimLink, request: TlibMessage, refuse: (errorCode: number, errorMessage: string) => void): void {
    const { model } = this.host;
    const dn = request.ThisDN as string;
    if (!link.registered.has(dn)) return refuse(SimErrorCode.DnNotRegistered, `DN ${dn} is not registered by this client`);
    const loggedIn = model.directory.agentOn(dn);
    if (request.message !== 'RequestAgentLogin' && !loggedIn) return refuse(SimErrorCode.AgentNotLoggedIn, `No agent is logged in on DN ${dn}`);
    this.answer(link, { message: 'EventACK', ReferenceID: request.ReferenceID, ThisDN: dn });
    const details = {
      ...(typeof request.AgentWorkMode === 'number' ? { AgentWorkMode: request.AgentWorkMode } : {}),
      ...(request.Reasons ? { Reasons: request.Reasons } : {}),
    };
    switch (request.message) {
      case 'RequestAgentLogin':
        // Logging in again as the same agent only repeats EventAgentLogin (servers do; RWS handles it idempotently).
        model.agentLogin({ dn, agentId: request.AgentID as string, record: loggedIn && loggedIn.agentId === request.AgentID ? loggedIn.record : undefined });
        return;
      case 'RequestAgentLogout':
        return model.agentLogout(dn);
      case 'RequestAgentReady':
        return model.agentState(dn, 'Ready', details);
      default:
        return model.agentState(dn, 'NotReady', details);
    }
  }

  private answer(link: SimLink, message: Record<string, unknown>): void {
    link.send(JSON.stringify(message), false);
  }
}
