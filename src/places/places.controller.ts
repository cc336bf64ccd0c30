import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OkResponse } from '../contact-centers/contact-centers.dto';
import { CurrentPrincipal, OpsOnly } from '../identity/auth.decorators';
import type { Principal } from '../identity/principal';
import { CreateDnDto, CreatePlaceDto, DnListResponse, DnResponse, PlaceAttributesDto, PlaceListResponse, PlaceResponse } from './places.dto';
import { dnViewOf, PlacesService, placeViewOf } from './places.service';

const BASE = 'api/v2/ops/contact-centers/:ccid';

/** Ops CRUD of a contact center's DNs and places (docs/places.md). */
@ApiTags('places')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller(BASE)
export class PlacesController {
  constructor(private readonly places: PlacesService) {}

  @Post('dns')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a DN (with its switch) to the contact center; a DN number belongs to one contact center' })
  @ApiOkResponse({ type: DnResponse })
  async createDn(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: CreateDnDto): Promise<DnResponse> {
    return { statusCode: 0, dn: dnViewOf(await this.places.createDn({ actor, source: req.ip ?? 'unknown' }, ccid, body)) };
  }

  @Get('dns')
  @ApiOperation({ summary: 'The contact center’s DNs' })
  @ApiOkResponse({ type: DnListResponse })
  async listDns(@Param('ccid') ccid: string): Promise<DnListResponse> {
    return { statusCode: 0, dns: (await this.places.listDns(ccid)).map(dnViewOf) };
  }

  @Get('dns/:dn')
  @ApiOperation({ summary: 'One DN' })
  @ApiOkResponse({ type: DnResponse })
  async getDn(@Param('ccid') ccid: string, @Param('dn') dn: string): Promise<DnResponse> {
    return { statusCode: 0, dn: dnViewOf(await this.places.getDn(ccid, dn)) };
  }

  @Delete('dns/:dn')
  @ApiOperation({ summary: 'Remove a DN (refused while a place lists it)' })
  @ApiOkResponse({ type: OkResponse })
  async deleteDn(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('dn') dn: string): Promise<OkResponse> {
    await this.places.deleteDn({ actor, source: req.ip ?? 'unknown' }, ccid, dn);
    return { statusCode: 0 };
  }

  @Post('places')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a place grouping DNs of the contact center, optionally limited to some agents' })
  @ApiOkResponse({ type: PlaceResponse })
  async createPlace(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: CreatePlaceDto): Promise<PlaceResponse> {
    return { statusCode: 0, place: placeViewOf(await this.places.createPlace({ actor, source: req.ip ?? 'unknown' }, ccid, body)) };
  }

  @Get('places')
  @ApiOperation({ summary: 'The contact center’s places' })
  @ApiOkResponse({ type: PlaceListResponse })
  async listPlaces(@Param('ccid') ccid: string): Promise<PlaceListResponse> {
    return { statusCode: 0, places: (await this.places.listPlaces(ccid)).map(placeViewOf) };
  }

  @Get('places/:name')
  @ApiOperation({ summary: 'One place' })
  @ApiOkResponse({ type: PlaceResponse })
  async getPlace(@Param('ccid') ccid: string, @Param('name') name: string): Promise<PlaceResponse> {
    return { statusCode: 0, place: placeViewOf(await this.places.getPlace(ccid, name)) };
  }

  @Put('places/:name')
  @ApiOperation({ summary: 'Replace a place’s DNs and agents (sessions already started keep their DNs)' })
  @ApiOkResponse({ type: PlaceResponse })
  async replacePlace(
    @CurrentPrincipal() actor: Principal,
    @Req() req: Request,
    @Param('ccid') ccid: string,
    @Param('name') name: string,
    @Body() body: PlaceAttributesDto,
  ): Promise<PlaceResponse> {
    return { statusCode: 0, place: placeViewOf(await this.places.replacePlace({ actor, source: req.ip ?? 'unknown' }, ccid, name, body)) };
  }

  @Delete('places/:name')
  @ApiOperation({ summary: 'Delete a place (its DNs stay with the contact center)' })
  @ApiOkResponse({ type: OkResponse })
  async deletePlace(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('name') name: string): Promise<OkResponse> {
    await this.places.deletePlace({ actor, source: req.ip ?? 'unknown' }, ccid, name);
    return { statusCode: 0 };
  }
}
