import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../identity/auth.decorators';
import { HealthRegistry } from './health-registry';

/** Liveness and readiness probes for load balancers and orchestrators. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up and serving HTTP' })
  live() {
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
