import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { baseUrlOf } from '../common/http/base-url';
import { OpsOnly } from '../identity/auth.decorators';
import { ContactCenter } from './contact-center';
import { ContactCenterResponse, CreateContactCenterDto, EnableFeaturesDto, OkResponse, UriListResponse } from './contact-centers.dto';
import { ContactCentersService } from './contact-centers.service';

const BASE = 'api/v2/ops/contact-centers';

/** Ops API for contact centers (api.md §2). */
@ApiTags('contact-centers')
@ApiBasicAuth()
@OpsOnly()
@Controller(BASE)
export class ContactCentersController {
  constructor(private readonly service: ContactCentersService) {}

  @Get()
  @ApiOperation({ summary: 'URIs of every contact center' })
  @ApiOkResponse({ type: UriListResponse })
  async list(@Req() req: Request): Promise<UriListResponse> {
    const all = await this.service.list();
    return { statusCode: 0, uris: all.map((cc) => uriOf(req, cc)) };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a contact center, optionally with its features' })
  @ApiOkResponse({ type: ContactCenterResponse })
  async create(@Req() req: Request, @Body() body: CreateContactCenterDto): Promise<ContactCenterResponse> {
    const cc = await this.service.create(body.name, body.features);
    return { statusCode: 0, contactCenter: cc, uri: uriOf(req, cc) };
  }

  @Get(':ccid')
  @ApiOperation({ summary: 'One contact center' })
  @ApiOkResponse({ type: ContactCenterResponse })
  async get(@Req() req: Request, @Param('ccid') ccid: string): Promise<ContactCenterResponse> {
    const cc = await this.service.require(ccid);
    return { statusCode: 0, contactCenter: cc, uri: uriOf(req, cc) };
  }

  @Get(':ccid/features')
  @ApiOperation({ summary: 'Enabled feature URIs' })
  @ApiOkResponse({ type: UriListResponse })
  async features(@Param('ccid') ccid: string): Promise<UriListResponse> {
    const cc = await this.service.require(ccid);
    return { statusCode: 0, uris: cc.features };
  }

  @Post(':ccid/features')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable features (set union with those already enabled)' })
  @ApiOkResponse({ type: OkResponse })
  async enableFeatures(@Param('ccid') ccid: string, @Body() body: EnableFeaturesDto): Promise<OkResponse> {
    await this.service.enableFeatures(ccid, body.uris);
    return { statusCode: 0 };
  }
}

function uriOf(req: Request, cc: ContactCenter): string {
  return `${baseUrlOf(req)}/${BASE}/${cc.id}`;
}
