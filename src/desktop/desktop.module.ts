import { Module } from '@nestjs/common';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { BayeuxLongPollingController } from './bayeux/bayeux-long-polling.controller';
import { BayeuxServer } from './bayeux/bayeux-server';
import { DesktopController } from './desktop.controller';
import { DesktopService } from './desktop.service';
import { NotificationsGateway } from './notifications.gateway';

/** The agent desktop: contact center sessions, calls, recording control, notifications (api.md §4). */
@Module({
  imports: [ContactCentersModule],
  controllers: [DesktopController, BayeuxLongPollingController],
  providers: [DesktopService, NotificationsGateway, BayeuxServer],
  exports: [BayeuxServer],
})
export class DesktopModule {}
