import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';

/** Why a request was not authenticated (bounded label set). */
export type AuthFailureReason = 'invalid_credentials' | 'throttled' | 'rate_limited' | 'invalid_token' | 'invalid_session' | 'csrf';

/** Prometheus counters of refused authentications: a rising `throttled` count is an attack in progress. */
@Injectable()
export class AuthMetrics {
  readonly failures: Counter<'reason'>;

  constructor(metrics: MetricsService) {
    this.failures = new Counter({
      name: 'rws_auth_failures_total',
      help: 'Refused authentications by reason',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
  }

  fail(reason: AuthFailureReason): void {
    this.failures.inc({ reason });
  }
}
