import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request, Response } from 'express';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import { CurrentPrincipal, OpsOnly } from '../../identity/auth.decorators';
import type { Principal } from '../../identity/principal';
import { exportJobView } from './export-job';
import { ExportsService } from './exports.service';

const EXPORT_BODY: SchemaObject = {
  type: 'object',
  required: ['target'],
  description: 'Give `filters` (the query parameters a recordings search accepts) or `policyId` (what a retention policy matches), not both.',
  properties: {
    filters: { type: 'object', additionalProperties: { type: 'string' }, example: { partition: '/sales', startTime: '2026-01-01T00:00:00.000+0000' } },
    policyId: { type: 'string', format: 'uuid' },
    target: {
      oneOf: [
        {
          type: 'object',
          required: ['type', 'url'],
          properties: { type: { type: 'string', enum: ['webdav'] }, url: { type: 'string', format: 'uri' }, username: { type: 'string' }, password: { type: 'string', writeOnly: true } },
        },
        { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['archive'] }, format: { type: 'string', enum: ['tar'], default: 'tar' } } },
      ],
    },
    media: { type: 'string', enum: ['stored', 'decrypted'], default: 'stored', description: '`decrypted` needs the decrypt permission' },
    verify: { type: 'boolean', default: false, description: 'read every written object back and compare its SHA-256' },
  },
};
const ENVELOPE: SchemaObject = { type: 'object', additionalProperties: true, properties: { statusCode: { type: 'integer' } } };

/** Export jobs of a contact center (docs/lifecycle.md): into a WebDAV folder, or a tar streamed to the caller. */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an export job (WebDAV: runs in the background; archive: download it from …/archive); audited' })
  @ApiBody({ schema: EXPORT_BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async create(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: unknown) {
    return { statusCode: 0, export: exportJobView(await this.exports.create({ actor, source: req.ip }, ccid, body)) };
  }

  @Get()
  @ApiOperation({ summary: 'The contact center’s export jobs, newest first, with their progress' })
  @ApiOkResponse({ schema: ENVELOPE })
  async list(@Param('ccid') ccid: string) {
    return { statusCode: 0, exports: (await this.exports.list(ccid)).map((job) => exportJobView(job)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One export job: state, progress (counts, bytes, ETA), last error' })
  @ApiOkResponse({ schema: ENVELOPE })
  async get(@Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, export: exportJobView(await this.exports.get(ccid, id)) };
  }

  @Get(':id/failures')
  @ApiOperation({ summary: 'The recordings the job could not export, with the reason, in recording id order (paged)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000 (default 100)' })
  @ApiQuery({ name: 'after', required: false, description: 'recording id: the next page starts after it' })
  @ApiOkResponse({ schema: ENVELOPE })
  async failures(@Param('ccid') ccid: string, @Param('id') id: string, @Query('limit') limit?: string, @Query('after') after?: string) {
    const n = limit === undefined ? 100 : /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidParameterException('limit', 'must be an integer from 1 to 1000');
    const items = await this.exports.failures(ccid, id, n, after);
    return {
      statusCode: 0,
      failures: items.map((i) => ({ recordingId: i.recordingId, reason: i.reason, at: i.updatedAt })),
      ...(items.length === n ? { nextAfter: items[items.length - 1].recordingId } : {}),
    };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running job (it stops between two recordings); audited' })
  @ApiOkResponse({ schema: ENVELOPE })
  async cancel(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, export: exportJobView(await this.exports.cancel({ actor, source: req.ip }, ccid, id)) };
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a cancelled WebDAV job: it goes on after what it had finished; audited' })
  @ApiOkResponse({ schema: ENVELOPE })
  async resume(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, export: exportJobView(await this.exports.resume({ actor, source: req.ip }, ccid, id)) };
  }

  @Get(':id/archive')
  @ApiOperation({ summary: 'Download an archive job: a tar of `<recordingId>/<mediaFileId>.<ext>` and `<recordingId>/metadata.json`, then failures.json; audited' })
  @ApiProduces('application/x-tar')
  async archive(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.exports.download({ actor, source: req.ip }, ccid, id, () => {
      res.status(200).type('application/x-tar').attachment(`export-${id.replace(/[^0-9A-Za-z-]/g, '')}.tar`);
      return res;
    });
  }
}
