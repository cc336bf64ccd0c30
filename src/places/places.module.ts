import { Global, Module } from '@nestjs/common';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { AgentSessionsService } from './agent-sessions.service';
import { DefaultTelephonyResources } from './default-telephony-resources';
import { PlacesController } from './places.controller';
import { PlacesService } from './places.service';
import { RecorderAgentSessions } from './recorder-agent-sessions';
import { SessionDevices } from './session-devices';

/**
 * Telephony resources per contact center (DNs with their switch, places) and the agent sessions that use
 * them. Global, so that the desktop and the recorders' session port reach AgentSessionsService.
 */
@Global()
@Module({
  imports: [ContactCentersModule],
  controllers: [PlacesController],
  providers: [PlacesService, SessionDevices, AgentSessionsService, RecorderAgentSessions, DefaultTelephonyResources],
  exports: [PlacesService, AgentSessionsService, RecorderAgentSessions],
})
export class PlacesModule {}
