import { Global, Module } from '@nestjs/common';
import { DomainEvents } from '../../common/events/domain-events';
import { ContactCentersModule } from '../../contact-centers/contact-centers.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookPublisher } from './webhook-publisher';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Lifecycle events to the outside: webhook subscriptions, the outbox and its dispatcher. Global, so that
 * the modules that report events (recordings, screen recordings, retention) reach the DomainEvents port.
 */
@Global()
@Module({
  imports: [ContactCentersModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDispatcher, WebhookPublisher, WebhookSecrets, { provide: DomainEvents, useExisting: WebhookPublisher }],
  exports: [DomainEvents],
})
export class WebhooksModule {}
