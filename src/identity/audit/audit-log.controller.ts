import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { OpsOnly } from '../auth.decorators';
import { NODE_SCOPE } from './audit-entry';
import { AuditLog } from './audit-log.service';
import { AuditLogQueryDto, AuditLogResponse } from './audit.dto';

/** Ops queries of the audit log by time window and user. */
@ApiTags('audit')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller('api/v2/ops')
export class AuditLogController {
  constructor(
    private readonly audit: AuditLog,
    private readonly contactCenters: ContactCentersService,
  ) {}

  @Get('contact-centers/:ccid/audit-log')
  @ApiOperation({ summary: "A contact center's audit entries in a time window, newest first" })
  @ApiOkResponse({ type: AuditLogResponse })
  async forContactCenter(@Param('ccid') ccid: string, @Query() query: AuditLogQueryDto): Promise<AuditLogResponse> {
    const cc = await this.contactCenters.require(ccid);
    return this.audit.page(cc.id, query);
  }

  @Get('audit-log')
  @ApiOperation({ summary: 'Node-wide audit entries (signing keys, sign-in failures of unknown names)' })
  @ApiOkResponse({ type: AuditLogResponse })
  nodeWide(@Query() query: AuditLogQueryDto): Promise<AuditLogResponse> {
    return this.audit.page(NODE_SCOPE, query);
  }
}
