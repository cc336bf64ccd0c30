import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { OtherNodes } from '../cluster/agent-home/other-nodes';
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
  @ApiPropertyOptional({ description: 'In a cluster: the URL of the node the recorder is connected to', example: 'http://10.0.0.12:8080' }) node?: string;
}

/** `{"statusCode":0,"recorders":[…]}` */
export class ConnectedRecorderListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [ConnectedRecorderView] }) recorders!: ConnectedRecorderView[];
  @ApiPropertyOptional({ description: 'In a cluster: live nodes that did not answer in time, whose recorders are missing from the list', type: [String] })
  unreachableNodes?: string[];
}

const BASE = 'api/v2/ops/contact-centers/:ccid/recorders';

/** Who is connected on the recorder channel (api.md §5), for operators. */
@ApiTags('recorders')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller(BASE)
export class RecordersController {
  constructor(
    private readonly recorders: RecordersService,
    private readonly contactCenters: ContactCentersService,
    private readonly otherNodes: OtherNodes,
  ) {}

  @Get()
  @ApiOperation({ summary: "The contact center's connected screen recorders, on every node of a cluster: agent, version, platform, last reported state, node" })
  @ApiOkResponse({ type: ConnectedRecorderListResponse })
  async list(@Param('ccid') ccid: string, @Req() req: Request): Promise<ConnectedRecorderListResponse> {
    await this.contactCenters.require(ccid);
    const node = this.otherNodes.selfName();
    const here: ConnectedRecorderView[] = this.recorders.connectedRecorders(ccid).map((r) => (node ? { ...r, node } : r));
    if (this.otherNodes.answersForItself(req)) return { statusCode: 0, recorders: here };
    // A recorder stays on the node it connected to: the cluster's list is every live node's own.
    const others = await this.otherNodes.get<ConnectedRecorderListResponse>(req, `/${BASE.replace(':ccid', encodeURIComponent(ccid))}`);
    const recorders = [...here, ...others.answers.flatMap((a) => a.body.recorders.map((r) => ({ ...r, node: a.node })))];
    recorders.sort((a, b) => a.userName.localeCompare(b.userName) || a.sessionId.localeCompare(b.sessionId));
    return { statusCode: 0, recorders, ...(others.unreachable.length ? { unreachableNodes: others.unreachable.sort() } : {}) };
  }
}
