import { Injectable } from '@nestjs/common';

/**
 * A dependency readiness probe: resolves when the dependency can serve, throws otherwise. It may resolve with
 * a warning: something an operator should act on that does not make the node unready.
 */
export interface DependencyCheck {
  name: string;
  check(): Promise<void | { warning: string }>;
}

/** One dependency's state in the readiness report. */
export interface DependencyState {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  warning?: string;
}

const CHECK_TIMEOUT_MS = 2000;

/** Collects the readiness checks that modules register, and runs them together. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, DependencyCheck>();

  register(check: DependencyCheck): void {
    this.checks.set(check.name, check);
  }

  async report(): Promise<{ ready: boolean; dependencies: Record<string, DependencyState> }> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (c): Promise<[string, DependencyState]> => {
        const started = performance.now();
        try {
          const outcome = await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          const state: DependencyState = { status: 'up', latencyMs: round(performance.now() - started) };
          if (outcome?.warning) state.warning = outcome.warning;
          return [c.name, state];
        } catch (err) {
          return [c.name, { status: 'down', latencyMs: round(performance.now() - started), error: (err as Error).message }];
        }
      }),
    );
    const dependencies = Object.fromEntries(entries);
    return { ready: entries.every(([, s]) => s.status === 'up'), dependencies };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
