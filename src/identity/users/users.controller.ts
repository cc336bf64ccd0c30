import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, OpsOnly } from '../auth.decorators';
import type { Principal } from '../principal';
import { CreateUserDto, ReplaceUserDto, UserListResponse, UserResponse } from './users.dto';
import { UsersService, viewOf } from './users.service';
import { OkResponse } from '../../contact-centers/contact-centers.dto';

/** Ops CRUD of a contact center's users and service accounts (api.md §3). */
@ApiTags('users')
@ApiBasicAuth()
@ApiBearerAuth()
@OpsOnly()
@Controller('api/v2/ops/contact-centers/:ccid/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a user or service account' })
  @ApiOkResponse({ type: UserResponse })
  async create(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Body() body: CreateUserDto): Promise<UserResponse> {
    return { statusCode: 0, user: viewOf(await this.users.create(actor, ccid, body, req.ip ?? 'unknown')) };
  }

  @Get()
  @ApiOperation({ summary: 'Every user of the contact center' })
  @ApiOkResponse({ type: UserListResponse })
  async list(@Param('ccid') ccid: string): Promise<UserListResponse> {
    return { statusCode: 0, users: (await this.users.list(ccid)).map(viewOf) };
  }

  @Get(':userName')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserResponse })
  async get(@Param('ccid') ccid: string, @Param('userName') userName: string): Promise<UserResponse> {
    return { statusCode: 0, user: viewOf(await this.users.get(ccid, userName)) };
  }

  @Put(':userName')
  @ApiOperation({ summary: 'Replace a user\'s attributes (and password when given)' })
  @ApiOkResponse({ type: UserResponse })
  async replace(
    @CurrentPrincipal() actor: Principal,
    @Req() req: Request,
    @Param('ccid') ccid: string,
    @Param('userName') userName: string,
    @Body() body: ReplaceUserDto,
  ): Promise<UserResponse> {
    return { statusCode: 0, user: viewOf(await this.users.replace(actor, ccid, userName, body, req.ip ?? 'unknown')) };
  }

  @Delete(':userName')
  @ApiOperation({ summary: 'Delete a user: its tokens and sessions stop working' })
  @ApiOkResponse({ type: OkResponse })
  async delete(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Param('ccid') ccid: string, @Param('userName') userName: string): Promise<OkResponse> {
    await this.users.delete(actor, ccid, userName, req.ip ?? 'unknown');
    return { statusCode: 0 };
  }
}
