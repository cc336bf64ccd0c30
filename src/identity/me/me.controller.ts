import { Controller, Get, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @ApiProperty({
    description: 'Settings by section, each a dictionary of option → value (GWS `user.settings`)',
    example: { 'interaction-recording': { 'agent-id': 'a1001', 'recording-when': 'voice' } },
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
  })
  settings!: Record<string, Record<string, string>>;
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
  @ApiQuery({ name: 'subresources', required: false, description: 'GWS clients ask for `*`; the user always carries its `settings`', example: '*' })
  @ApiOkResponse({ type: MeResponse })
  // `subresources` is accepted for GWS clients; everything RWS has about the caller is always in the answer.
  me(@CurrentPrincipal() p: Principal, @Query('subresources') _subresources?: string): MeResponse {
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
        settings: settingsOf(p),
      },
    };
  }
}

/**
 * The caller's settings as GWS desktops read them: a dictionary of sections of string options. RWS keeps no
 * per-user option annex, so the one section is what RWS knows of the user's recording.
 */
function settingsOf(p: Principal): Record<string, Record<string, string>> {
  const recording: Record<string, string> = {};
  if (p.agentId) recording['agent-id'] = p.agentId;
  if (p.agentHierarchy) recording['agent-hierarchy'] = p.agentHierarchy;
  if (p.recordingWhen) recording['recording-when'] = p.recordingWhen;
  if (p.accessGroups.length > 0) recording['access-groups'] = p.accessGroups.join(',');
  return { 'interaction-recording': recording };
}
