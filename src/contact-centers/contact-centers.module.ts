import { Module } from '@nestjs/common';
import { ContactCenterChanges } from './contact-center-changes';
import { ContactCentersController } from './contact-centers.controller';
import { ContactCentersService } from './contact-centers.service';
import { DefaultContactCenter } from './default-contact-center';

/** Contact centers, their features and settings groups. */
@Module({ controllers: [ContactCentersController], providers: [ContactCentersService, ContactCenterChanges, DefaultContactCenter], exports: [ContactCentersService, ContactCenterChanges, DefaultContactCenter] })
export class ContactCentersModule {}
