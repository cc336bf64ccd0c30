import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request } from 'express';
import { CurrentPrincipal, OpsOnly } from '../../identity/auth.decorators';
import type { Principal } from '../../identity/principal';
import { DataSubjectsService } from './data-subjects.service';

const BODY: SchemaObject = { type: 'object', required: ['phoneNumber'], properties: { phoneNumber: { type: 'string', description: 'exact number; compared on its letters and digits' } } };
const ENVELOPE: SchemaObject = { type: 'object', additionalProperties: true, properties: { statusCode: { type: 'integer' } } };

/**
 * Access and erasure by customer phone number (docs/lifecycle.md). POSTs, so that the number travels in
 * the body and never in a URL (access logs, proxies).
 */
@ApiTags('lifecycle')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/data-subjects')
export class DataSubjectsController {
  constructor(private readonly subjects: DataSubjectsService) {}

  @Post('export')
  @HttpCode(200)
  @ApiOperation({ summary: 'Everything about a phone number: the voice recordings (metadata JSON) and the screen recordings of their calls' })
  @ApiBody({ schema: BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async export(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: unknown) {
    const data = await this.subjects.find({ actor, source: req.ip }, ccid, body);
    return { statusCode: 0, exportedAt: new Date().toISOString(), ...data };
  }

  @Post('erase')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase everything about a phone number except what legal hold keeps (listed); issues a signed receipt' })
  @ApiBody({ schema: BODY })
  @ApiOkResponse({ schema: ENVELOPE })
  async erase(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: unknown) {
    return { statusCode: 0, ...(await this.subjects.erase({ actor, source: req.ip }, ccid, body)) };
  }
}
