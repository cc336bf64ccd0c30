import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, OpsOnly } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { publicContext } from './recording-context.factory';
import { AccessPolicy } from '../identity/access/access-policy';
import { RecordingLabelsService } from './recording-labels.service';
import type { RecordingLabelDefinition } from './recording.store';
import { LabelDefinitionBody } from './recordings.dto';

type DefinitionResponse = { statusCode: number; labelDefinition: RecordingLabelDefinition };
type DefinitionsResponse = { statusCode: number; labelDefinitions: RecordingLabelDefinition[] };

/** Label definitions (api.md §2) on the public path; the caller's contact center (ops: `?ccid=`). */
@ApiTags('recordings')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/recording-label-definitions')
export class RecordingLabelDefinitionsController {
  constructor(
    private readonly labels: RecordingLabelsService,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Define a label' })
  @ApiBody({ type: LabelDefinitionBody })
  async create(@Req() req: Request, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<DefinitionResponse> {
    const ctx = publicContext(req, principal);
    this.access.requireOperation(principal, 'label');
    return { statusCode: 0, labelDefinition: await this.labels.create(ctx.ccid, body) };
  }

  @Get()
  @ApiOperation({ summary: 'Label definitions' })
  async list(@Req() req: Request, @CurrentPrincipal() principal: Principal): Promise<DefinitionsResponse> {
    return { statusCode: 0, labelDefinitions: await this.labels.list(publicContext(req, principal).ccid) };
  }
}

/** Ops twin of the label definitions (ours). */
@ApiTags('recordings')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/recording-label-definitions')
export class OpsRecordingLabelDefinitionsController {
  constructor(private readonly labels: RecordingLabelsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Define a label' })
  @ApiBody({ type: LabelDefinitionBody })
  async create(@Param('ccid') ccid: string, @Body() body: unknown): Promise<DefinitionResponse> {
    return { statusCode: 0, labelDefinition: await this.labels.create(ccid, body) };
  }

  @Get()
  @ApiOperation({ summary: 'Label definitions' })
  async list(@Param('ccid') ccid: string): Promise<DefinitionsResponse> {
    return { statusCode: 0, labelDefinitions: await this.labels.list(ccid) };
  }
}
