import { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../../config/app-config';
import { redact } from './redact';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Nest's start-up chatter (one line per module and per route, ~130 lines): debug, so `info` shows what matters. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController']);

/** Writes one JSON object per line to stdout, with secrets redacted. Replaces Nest's console logger. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minLevel: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.emit(typeof context === 'string' && CHATTY_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    // Nest passes the context as the last string argument, and for errors a stack before it.
    const params = [...rest];
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) entry.context = context;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      Object.assign(entry, redact(message));
    } else {
      entry.msg = redact(message instanceof Error ? message.message : String(message));
    }
    if (params.length === 1 && typeof params[0] === 'string') entry.stack = params[0];
    else if (params.length > 0) entry.details = redact(params);
    this.write(JSON.stringify(entry) + '\n');
  }
}
