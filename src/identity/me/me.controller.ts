import { Controller, Get } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth.decorators';
import { PERMISSIONS, ROLES, type Permission, type Principal, type RecordingWhen, type Role } from '../principal';

/** The caller as `GET /api/v2/me` shows it. */
export class MeView {
  @ApiProperty() userName!: string;
  @ApiProperty({ enum: ['ops', 'service', 'user'] }) kind!: Principal['kind'];
  @ApiPropertyOptional({ format: 'uuid' }) ccid?: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiPropertyOptional() agentId?: string;
  @ApiPropertyOptional() agentHierarchy?: string;
  @ApiProperty({ type: [String] }) accessGroups!: string[];
  @ApiPropertyOptional({ enum: ['voice', 'off'] }) recordingWhen?: RecordingWhen;
}

/** `{"statusCode":0,"user":{…}}` */
export class MeResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: MeView }) user!: MeView;
}

/** The caller's own identity; also how RWS clients obtain the CSRF token and session cookie (api.md §1, §3). */
@ApiTags('identity')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The caller (answers X-CSRF-HEADER / X-CSRF-TOKEN and sets JSESSIONID)' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() p: Principal): MeResponse {
    return {
      statusCode: 0,
      user: {
        userName: p.userName,
        kind: p.kind,
        ccid: p.ccid,
        roles: p.roles,
        permissions: p.permissions,
        agentId: p.agentId,
        agentHierarchy: p.agentHierarchy,
        accessGroups: p.accessGroups,
        recordingWhen: p.recordingWhen,
      },
    };
  }
}
