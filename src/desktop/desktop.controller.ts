import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { toGwsCall } from '../telephony/gws-notification';
import { CallOperationDto, MeOperationDto } from './desktop.dto';
import { DesktopService } from './desktop.service';

/** The agent desktop API (api.md §4), named after the GWS voice API. */
@ApiTags('desktop')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2')
export class DesktopController {
  constructor(private readonly desktop: DesktopService) {}

  @Post('me')
  @HttpCode(200)
  @ApiOperation({
    summary: 'StartContactCenterSession (register the place’s DNs), EndContactCenterSession, or the agent state: Ready, NotReady (reasonCode, workMode)',
  })
  async meOperation(@CurrentPrincipal() principal: Principal, @Body() body: MeOperationDto) {
    if (body.operationName === 'EndContactCenterSession') {
      await this.desktop.endSession(principal);
      return { statusCode: 0 };
    }
    if (body.operationName === 'Ready' || body.operationName === 'NotReady') {
      await this.desktop.changeAgentState(principal, body.operationName, { reasonCode: body.reasonCode, workMode: body.workMode });
      return { statusCode: 0 };
    }
    const session = await this.desktop.startSession(principal, body.place, body.devices ?? []);
    return { statusCode: 0, session };
  }

  @Get('me/calls')
  @ApiOperation({ summary: 'The agent’s current calls with their recording state (GWS call shape)' })
  calls(@CurrentPrincipal() principal: Principal) {
    return { statusCode: 0, data: { calls: this.desktop.calls(principal).map(toGwsCall) } };
  }

  @Post('me/calls/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start/Stop/Pause/ResumeCallRecording on one of the agent’s calls (id = CallUUID, or ConnID)' })
  async controlOwn(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: CallOperationDto) {
    await this.desktop.controlOwnCall(principal, id, body.operationName);
    return { statusCode: 0 };
  }

  @Post('users/:userName/calls/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'A supervisor controls the recording of an agent’s call' })
  async controlAgent(@CurrentPrincipal() principal: Principal, @Param('userName') userName: string, @Param('id') id: string, @Body() body: CallOperationDto) {
    await this.desktop.controlAgentCall(principal, userName, id, body.operationName);
    return { statusCode: 0 };
  }
}
