import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request } from 'express';
import { DOMAIN_EVENT_TYPES } from '../../common/events/domain-events';
import { formatTimestamp } from '../../common/rws-time';
import { CurrentPrincipal, OpsOnly } from '../../identity/auth.decorators';
import type { Principal } from '../../identity/principal';
import type { WebhookDelivery, WebhookSubscription } from './webhook';
import { WebhooksService } from './webhooks.service';

const BODY: SchemaObject = {
  type: 'object',
  required: ['url', 'events'],
  properties: { url: { type: 'string', format: 'uri' }, events: { type: 'array', items: { type: 'string', enum: [...DOMAIN_EVENT_TYPES] } } },
};
const ENVELOPE: SchemaObject = { type: 'object', additionalProperties: true, properties: { statusCode: { type: 'integer' } } };

/** Webhook subscriptions of a contact center (Standard Webhooks; docs/lifecycle.md). */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Subscribe a URL to lifecycle events; the answer carries the signing secret (whsec_…), shown this once' })
  @ApiBody({ schema: BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async create(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: unknown) {
    const subscription = await this.webhooks.create({ actor, source: req.ip }, ccid, body);
    return { statusCode: 0, webhook: { ...viewOf(subscription), secret: subscription.secret } };
  }

  @Get()
  @ApiOperation({ summary: 'The contact center’s subscriptions (without secrets)' })
  @ApiOkResponse({ schema: ENVELOPE })
  async list(@Param('ccid') ccid: string) {
    return { statusCode: 0, webhooks: (await this.webhooks.list(ccid)).map(viewOf) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription (without its secret)' })
  @ApiOkResponse({ schema: ENVELOPE })
  async get(@Param('ccid') ccid: string, @Param('id') id: string) {
    return { statusCode: 0, webhook: viewOf(await this.webhooks.get(ccid, id)) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a subscription (nothing more is delivered to it)' })
  @ApiOkResponse({ schema: ENVELOPE })
  async delete(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('id') id: string) {
    await this.webhooks.delete({ actor, source: req.ip }, ccid, id);
    return { statusCode: 0 };
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log, newest first; state=dead lists the dead letters' })
  @ApiQuery({ name: 'state', required: false, enum: ['pending', 'delivered', 'dead'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: ENVELOPE })
  async deliveries(@Param('ccid') ccid: string, @Param('id') id: string, @Query('state') state?: string, @Query('limit') limit?: string) {
    return { statusCode: 0, deliveries: (await this.webhooks.deliveries(ccid, id, state, limit)).map(deliveryView) };
  }
}

function viewOf(s: WebhookSubscription): Record<string, unknown> {
  return { id: s.id, ccid: s.ccid, url: s.url, events: s.events, createdAt: formatTimestamp(s.createdAt) };
}

function deliveryView(d: WebhookDelivery): Record<string, unknown> {
  return {
    id: d.id,
    type: d.type,
    state: d.state,
    attempts: d.attempts,
    createdAt: formatTimestamp(d.createdAt),
    nextAttemptAt: formatTimestamp(d.nextAttemptAt),
    ...(d.deliveredAt ? { deliveredAt: formatTimestamp(d.deliveredAt) } : {}),
    ...(d.lastStatus !== undefined ? { lastStatus: d.lastStatus } : {}),
    ...(d.lastError ? { lastError: d.lastError } : {}),
    payload: JSON.parse(d.payload) as unknown,
  };
}
