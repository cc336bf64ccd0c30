import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expectEventually } from './test-app';

/** A line the CometD client process reported. */
export interface CometdEvent {
  event: 'handshake' | 'connect' | 'subscribe' | 'unsubscribe' | 'message' | 'disconnected';
  successful?: boolean;
  error?: string;
  clientId?: string;
  transport?: string;
  channel?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  advice?: Record<string, unknown>;
}

export type CometdTransport = 'websocket' | 'long-polling';

/** Options of a desktop's CometD client. */
export interface CometdDesktopOptions {
  /** `http://…/api/v2/notifications` */
  url: string;
  transport: CometdTransport;
  authorization?: string;
  cookie?: string;
  csrfToken?: string;
  /** Subscribed right after the handshake. */
  channels?: string[];
}

/**
 * Runs the official CometD JavaScript client (test/support/cometd-desktop-client.mjs) in its own process, as
 * a desktop would, and records what it reports.
 */
export class CometdDesktop {
  readonly events: CometdEvent[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';

  constructor(options: CometdDesktopOptions) {
    this.child = spawn(process.execPath, [resolve(__dirname, 'cometd-desktop-client.mjs'), JSON.stringify(options)], { stdio: 'pipe' });
    let buffered = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        this.events.push(JSON.parse(buffered.slice(0, newline)) as CometdEvent);
        buffered = buffered.slice(newline + 1);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Waits until an event matching `predicate` was reported, and returns it. */
  async waitFor(predicate: (event: CometdEvent) => boolean, what = 'a matching event'): Promise<CometdEvent> {
    let found: CometdEvent | undefined;
    await expectEventually(() => {
      found = this.events.find(predicate);
      if (!found) throw new Error(`no ${what} yet; events: ${JSON.stringify(this.events.slice(-8))} stderr: ${this.stderr.slice(-500)}`);
    });
    return found!;
  }

  /** The messages received on `channel`. */
  messages(channel: string): CometdEvent[] {
    return this.events.filter((e) => e.event === 'message' && e.channel === channel);
  }

  send(command: unknown): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Disconnects (Bayeux `/meta/disconnect`) and waits for the process to end. */
  async disconnect(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.send('disconnect');
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
