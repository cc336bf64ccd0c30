import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../identity/auth.decorators';
import { HealthRegistry } from './health-registry';
import { NodeDrain } from './node-drain';

/** What a draining node tells a prober: try again on another node, this one is going away. */
const DRAINING_RETRY_AFTER_SECONDS = 1;

/** Liveness and readiness probes for load balancers and orchestrators. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly drain: NodeDrain,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up and serving HTTP (200), or shutting down: 503 `draining`, take it out of rotation' })
  live(@Res({ passthrough: true }) res: Response) {
    if (this.drain.draining) {
      res.status(503).setHeader('Retry-After', String(DRAINING_RETRY_AFTER_SECONDS));
      return { statusCode: 9, status: 'draining', runtime: process.version };
    }
    return { statusCode: 0, status: 'live', runtime: process.version };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Every dependency answers (200), or which do not (503)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const report = await this.registry.report();
    res.status(report.ready ? 200 : 503);
    if (!report.ready) res.setHeader('Retry-After', '5');
    return { statusCode: report.ready ? 0 : 9, status: report.ready ? 'ready' : 'not ready', dependencies: report.dependencies };
  }
}
