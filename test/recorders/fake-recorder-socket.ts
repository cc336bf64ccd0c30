import type { RecorderSocket } from '../../src/recorders/recorder-connection';
import type { CommandMessage, ServerMessage, WelcomeMessage } from '../../src/recorders/recorder-protocol';

/** A recorder's socket without a network: keeps every frame RWS sends, for the specs that drive RecordersService directly. */
export class FakeRecorderSocket implements RecorderSocket {
  readyState = 1;
  readonly sent: ServerMessage[] = [];
  closedWith?: number;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ServerMessage);
  }
  ping(): void {}
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 2;
  }
  terminate(): void {
    this.readyState = 3;
  }
  /** Every command frame sent, resends included. */
  commandFrames(): CommandMessage[] {
    return this.sent.filter((m): m is CommandMessage => m.type === 'command');
  }
  welcome(): WelcomeMessage | undefined {
    return this.sent.find((m): m is WelcomeMessage => m.type === 'welcome');
  }
}
