import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import { DOMAIN_EVENT_TYPES, DomainEventType } from '../../common/events/domain-events';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ContactCentersService, isUuid } from '../../contact-centers/contact-centers.service';
import { AuditLog } from '../../identity/audit/audit-log.service';
import type { ChangeContext } from '../retention-policies.service';
import { WebhookNotFoundException } from '../lifecycle.exception';
import type { WebhookDelivery, WebhookSubscription } from './webhook';
import { WebhookPublisher } from './webhook-publisher';
import { newWebhookSecret } from './webhook-signature';
import { privateTargetProblem, webhookUrlProblem } from './webhook-target';
import { WebhookStore } from './webhook.store';

const bodySchema = z
  .object({
    url: z.string().min(1),
    events: z
      .array(z.enum(DOMAIN_EVENT_TYPES))
      .min(1)
      .transform((e) => [...new Set(e)]),
  })
  .strict();

/** Ops use cases of webhook subscriptions: subscribe (the secret is shown once), list, remove, delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly store: WebhookStore,
    private readonly contactCenters: ContactCentersService,
    private readonly publisher: WebhookPublisher,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ctx: ChangeContext, ccidParam: string, body: unknown): Promise<WebhookSubscription> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const parsed = bodySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidParameterException(issue.path.join('.') || 'body', issue.message);
    }
    const problem = webhookUrlProblem(parsed.data.url);
    if (problem) throw new InvalidParameterException('url', problem);
    await this.refusePrivateTarget(parsed.data.url);
    const subscription: WebhookSubscription = {
      id: randomUUID(),
      ccid,
      url: parsed.data.url,
      events: parsed.data.events as DomainEventType[],
      secret: newWebhookSecret(),
      createdAt: new Date().toISOString(),
    };
    await this.store.putSubscription(subscription);
    this.publisher.invalidate(ccid);
    await this.audit.record({ actor: ctx.actor, action: 'webhookCreate', outcome: 'success', ccid, objectType: 'webhook', objectId: subscription.id, source: ctx.source, detail: `url=${redactedUrl(subscription.url)} events=${subscription.events.join(',')}` });
    return subscription;
  }

  async list(ccidParam: string): Promise<WebhookSubscription[]> {
    return this.store.listSubscriptions((await this.contactCenters.require(ccidParam)).id);
  }

  async get(ccidParam: string, id: string): Promise<WebhookSubscription> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const found = isUuid(id) ? await this.store.getSubscription(ccid, id.toLowerCase()) : undefined;
    if (!found) throw new WebhookNotFoundException(id);
    return found;
  }

  async delete(ctx: ChangeContext, ccidParam: string, id: string): Promise<void> {
    const found = await this.get(ccidParam, id);
    if (!(await this.store.deleteSubscription(found.ccid, found.id))) throw new WebhookNotFoundException(id);
    this.publisher.invalidate(found.ccid);
    await this.audit.record({ actor: ctx.actor, action: 'webhookDelete', outcome: 'success', ccid: found.ccid, objectType: 'webhook', objectId: found.id, source: ctx.source });
  }

  /** The delivery log, newest first; `state=dead` lists the dead letters. */
  async deliveries(ccidParam: string, id: string, state?: string, limitText?: string): Promise<WebhookDelivery[]> {
    const found = await this.get(ccidParam, id);
    if (state !== undefined && !['pending', 'delivered', 'dead'].includes(state)) throw new InvalidParameterException('state', 'must be pending, delivered or dead');
    const limit = limitText === undefined ? 100 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidParameterException('limit', 'must be an integer from 1 to 1000');
    const log = await this.store.listDeliveries(found.id, state === undefined ? limit : 1000);
    return (state === undefined ? log : log.filter((d) => d.state === state)).slice(0, limit);
  }

  /** Refuses, at subscription time, a target that only resolves to private addresses (delivery checks again). */
  private async refusePrivateTarget(url: string): Promise<void> {
    const problem = await privateTargetProblem(url, this.config.webhooks.allowPrivate);
    if (problem) throw new InvalidParameterException('url', problem);
  }
}

/** The URL without its query string (which may carry a token) for the audit log. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
