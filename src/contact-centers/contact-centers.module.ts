import { Module } from '@nestjs/common';
import { ContactCentersController } from './contact-centers.controller';
import { ContactCentersService } from './contact-centers.service';
import { DefaultContactCenter } from './default-contact-center';

/** Contact centers, their features and settings groups. */
@Module({ controllers: [ContactCentersController], providers: [ContactCentersService, DefaultContactCenter], exports: [ContactCentersService, DefaultContactCenter] })
export class ContactCentersModule {}
