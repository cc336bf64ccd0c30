import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { OpsOnly } from '../identity/auth.decorators';
import { RecordersService } from './recorders.service';

/** The state a recorder last reported. */
export class RecorderStatusView {
  @ApiProperty({ example: 'recording' }) state!: string;
  @ApiPropertyOptional() recordingId?: string;
}

/** A command sent and not yet acknowledged. */
export class PendingCommandView {
  @ApiProperty() commandId!: string;
  @ApiProperty({ enum: ['start', 'pause', 'resume', 'stop'] }) action!: string;
  @ApiProperty() attempts!: number;
}

/** One connected screen recorder (after its hello). */
export class ConnectedRecorderView {
  @ApiProperty() sessionId!: string;
  @ApiProperty() userName!: string;
  @ApiPropertyOptional() agentId?: string;
  @ApiProperty({ example: '1.4.2' }) clientVersion!: string;
  @ApiProperty({ example: 'windows-x64' }) platform!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty() connectedAt!: string;
  @ApiPropertyOptional({ type: RecorderStatusView }) lastStatus?: RecorderStatusView;
  @ApiPropertyOptional() lastStatusAt?: string;
  @ApiPropertyOptional({ type: PendingCommandView }) pendingCommand?: PendingCommandView;
}

/** `{"statusCode":0,"recorders":[…]}` */
export class ConnectedRecorderListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [ConnectedRecorderView] }) recorders!: ConnectedRecorderView[];
}

/** Who is connected on the recorder channel (api.md §5), for operators. */
@ApiTags('recorders')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/recorders')
export class RecordersController {
  constructor(
    private readonly recorders: RecordersService,
    private readonly contactCenters: ContactCentersService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The contact center's screen recorders connected to this node: agent, version, platform, last reported state" })
  @ApiOkResponse({ type: ConnectedRecorderListResponse })
  async list(@Param('ccid') ccid: string): Promise<ConnectedRecorderListResponse> {
    await this.contactCenters.require(ccid);
    return { statusCode: 0, recorders: this.recorders.connectedRecorders(ccid) };
  }
}
