import { ApiError } from '../api-error';
import { api } from '../client';

/** One dependency in the readiness report (`GET /health/ready`). */
export interface DependencyState {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  warning?: string;
}

export interface Readiness {
  ready: boolean;
  status: string;
  dependencies: Record<string, DependencyState>;
}

/**
 * The readiness report. It answers 503 (with the same body) when a dependency is down: that is the news the
 * page shows, not a failure of the page, so the body is read whatever the status.
 */
export async function readiness(): Promise<Readiness> {
  let response: Response;
  try {
    response = await fetch('/health/ready', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw new ApiError('The server cannot be reached.', 0);
  }
  const body = (await response.json().catch(() => undefined)) as { status?: string; statusMessage?: string; dependencies?: Record<string, DependencyState> } | undefined;
  if (!body?.dependencies) throw new ApiError(body?.statusMessage ?? `The server answered ${response.status}.`, response.status);
  return { ready: response.ok, status: body.status ?? '', dependencies: body.dependencies };
}

/** The service version (GWS diagnostics). */
export async function serviceVersion(): Promise<string> {
  return (await api.get<{ version: string }>('/api/v2/diagnostics/version')).version;
}
