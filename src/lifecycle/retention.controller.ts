import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request, Response } from 'express';
import { CurrentPrincipal, OpsOnly } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { DeletionReceiptsService } from './deletion-receipts.service';
import { policyView, receiptSummary, runView } from './lifecycle.views';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionScheduler } from './retention-scheduler';

const POLICY_BODY: SchemaObject = {
  type: 'object',
  required: ['name', 'action'],
  properties: {
    name: { type: 'string' },
    enabled: { type: 'boolean', default: true },
    match: {
      type: 'object',
      properties: {
        partitions: { type: 'array', items: { type: 'string' } },
        labels: { type: 'array', items: { type: 'string' } },
        agentIds: { type: 'array', items: { type: 'string' } },
        agentHierarchies: { type: 'array', items: { type: 'string' } },
        callTypes: { type: 'array', items: { type: 'string' } },
        minDurationSeconds: { type: 'integer' },
        maxDurationSeconds: { type: 'integer' },
        media: { type: 'string', enum: ['voice', 'screen'] },
        attachedData: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    action: {
      oneOf: [
        { type: 'object', required: ['type', 'afterDays'], properties: { type: { type: 'string', enum: ['delete'] }, afterDays: { type: 'integer', minimum: 0 } } },
        {
          type: 'object',
          required: ['type', 'afterDays', 'target'],
          properties: {
            type: { type: 'string', enum: ['exportThenDelete'] },
            afterDays: { type: 'integer', minimum: 0 },
            target: {
              type: 'object',
              required: ['type', 'url'],
              properties: { type: { type: 'string', enum: ['webdav'] }, url: { type: 'string', format: 'uri' }, username: { type: 'string' }, password: { type: 'string', writeOnly: true } },
            },
          },
        },
        { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['keep'] } } },
      ],
    },
  },
};
const ENVELOPE: SchemaObject = { type: 'object', additionalProperties: true, properties: { statusCode: { type: 'integer' } } };

/** Retention policies, their dry runs and runs, and deletion receipts of a contact center (docs/lifecycle.md). */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid')
export class RetentionController {
  constructor(
    private readonly policies: RetentionPoliciesService,
    private readonly receipts: DeletionReceiptsService,
    private readonly scheduler: RetentionScheduler,
  ) {}

  @Post('retention-policies')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a retention policy (delete after N days, or keep); audited' })
  @ApiBody({ schema: POLICY_BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async create(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: unknown) {
    return { statusCode: 0, policy: policyView(await this.policies.create({ actor, source: req.ip }, ccid, body)) };
  }

  @Get('retention-policies')
  @ApiOperation({ summary: 'The contact center’s retention policies' })
  @ApiOkResponse({ schema: ENVELOPE })
  async list(@Param('ccid') ccid: string) {
    return { statusCode: 0, policies: (await this.policies.list(ccid)).map(policyView) };
  }

  @Get('retention-policies/:id')
  @ApiOperation({ summary: 'One retention policy' })
  @ApiOkResponse({ schema: ENVELOPE })
  async get(@Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, policy: policyView(await this.policies.get(ccid, id)) };
  }

  @Put('retention-policies/:id')
  @ApiOperation({ summary: 'Replace a retention policy (a run under way finishes with the policy it started with); audited' })
  @ApiBody({ schema: POLICY_BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async replace(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string, @Body() body: unknown) {
    return { statusCode: 0, policy: policyView(await this.policies.replace({ actor, source: req.ip }, ccid, id, body)) };
  }

  @Delete('retention-policies/:id')
  @ApiOperation({ summary: 'Delete a retention policy (its runs and receipts stay); audited' })
  @ApiOkResponse({ schema: ENVELOPE })
  async delete(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string) {
    await this.policies.delete({ actor, source: req.ip }, ccid, id);
    return { statusCode: 0 };
  }

  @Get('retention-policies/:id/dry-run')
  @ApiOperation({ summary: 'What the policy acts on now and on each of the next `days` days, with the recordings listed (paged); changes nothing' })
  @ApiQuery({ name: 'days', required: false, description: '0–90 days ahead (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: 'recordings per page, 1–1000 (default 100)' })
  @ApiQuery({ name: 'pageToken', required: false })
  @ApiOkResponse({ schema: ENVELOPE })
  async dryRun(
    @CurrentPrincipal() actor: Principal,
    @Req() req: Request,
    @Param('ccid') ccid: string,
    @Param('id') id: string,
    @Query('days') days?: string,
    @Query('limit') limit?: string,
    @Query('pageToken') pageToken?: string,
  ) {
    return { statusCode: 0, ...(await this.policies.dryRun({ actor, source: req.ip }, ccid, id, { days, limit, pageToken })) };
  }

  @Post('retention-policies/:id/runs')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask the scheduler to apply the policies now (on the node holding the retention lease)' })
  @ApiOkResponse({ schema: ENVELOPE })
  async requestRun(@Param('ccid') ccid: string, @Param('id') id: string) {
    await this.policies.get(ccid, id);
    this.scheduler.requestPass();
    return { statusCode: 0 };
  }

  @Get('retention-policies/:id/runs')
  @ApiOperation({ summary: 'The policy’s runs, newest first, with their progress and receipts' })
  @ApiOkResponse({ schema: ENVELOPE })
  async runs(@Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, runs: (await this.policies.runs(ccid, id)).map(runView) };
  }

  @Get('receipts')
  @ApiOperation({ summary: 'Deletion receipts, newest first' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'receipt id: list those issued before it (the next page)' })
  @ApiOkResponse({ schema: ENVELOPE })
  async listReceipts(@Param('ccid') ccid: string, @Query('limit') limit?: string, @Query('before') before?: string) {
    return { statusCode: 0, receipts: (await this.receipts.list(ccid, limit, before)).map(receiptSummary) };
  }

  @Get('receipts/:id')
  @ApiOperation({ summary: 'One receipt: its document exactly as signed, the Ed25519 signature (base64) and the key id' })
  @ApiOkResponse({ schema: ENVELOPE })
  async getReceipt(@Param('ccid') ccid: string, @Param('id') id: string) {
    const r = await this.receipts.get(ccid, id);
    return { statusCode: 0, receipt: JSON.parse(r.document) as unknown, document: r.document, signature: r.signature, keyId: r.keyId };
  }

  @Get('receipts/:id/document')
  @ApiOperation({ summary: 'The signed receipt document (the bytes the signature covers), for offline verification' })
  @ApiProduces('application/json')
  async receiptDocument(@Param('ccid') ccid: string, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const r = await this.receipts.get(ccid, id);
    res.type('application/json').attachment(`${r.id}.json`).send(Buffer.from(r.document, 'utf8'));
  }

  @Get('receipts/:id/signature')
  @ApiOperation({ summary: 'The raw 64-byte Ed25519 signature of the receipt document' })
  @ApiProduces('application/octet-stream')
  async receiptSignature(@Param('ccid') ccid: string, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const r = await this.receipts.get(ccid, id);
    res.type('application/octet-stream').attachment(`${r.id}.sig`).send(Buffer.from(r.signature, 'base64'));
  }
}

/** The public key that verifies deletion receipts. */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/receipt-signing-key')
export class ReceiptKeyController {
  constructor(private readonly receipts: DeletionReceiptsService) {}

  @Get()
  @Header('content-type', 'application/x-pem-file')
  @ApiOperation({ summary: 'The Ed25519 public key (PEM, SubjectPublicKeyInfo) that verifies this node’s deletion receipts' })
  @ApiProduces('application/x-pem-file')
  key(): string {
    return this.receipts.publicKeyPem();
  }
}
