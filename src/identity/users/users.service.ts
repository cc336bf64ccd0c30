import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { AuditLog } from '../audit/audit-log.service';
import { AccountDirectory } from '../authentication/account-directory';
import { PasswordAuthenticator } from '../authentication/password-authenticator';
import { OpsAccount } from '../ops-account';
import type { Principal } from '../principal';
import { User } from './user';
import { UserStore } from './user.store';
import { CreateUserDto, ReplaceUserDto, UserAttributesDto, UserView } from './users.dto';
import { UserNameTakenException, UserNotFoundException } from './users.exception';

/** Use cases of the users ops API. Every change is audited and takes effect on this node at once. */
@Injectable()
export class UsersService {
  constructor(
    private readonly store: UserStore,
    private readonly contactCenters: ContactCentersService,
    private readonly passwords: PasswordAuthenticator,
    private readonly directory: AccountDirectory,
    private readonly ops: OpsAccount,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Principal, ccidParam: string, dto: CreateUserDto, source: string): Promise<User> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    if (this.ops.isOpsName(dto.userName)) throw new UserNameTakenException(dto.userName);
    const now = new Date().toISOString();
    const user: User = {
      ccid,
      userName: dto.userName,
      passwordHash: await this.passwords.hasher.hash(dto.password),
      credentialStamp: newStamp(),
      ...attributesOf(dto),
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.store.create(user))) throw new UserNameTakenException(dto.userName);
    this.directory.invalidate(user.userName);
    await this.audit.record({ actor, ccid, action: 'userCreate', outcome: 'success', objectType: 'user', objectId: user.userName, source, detail: summary(user) });
    return user;
  }

  async list(ccidParam: string): Promise<User[]> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    return this.store.list(ccid);
  }

  async get(ccidParam: string, userName: string): Promise<User> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const user = await this.store.get(ccid, userName);
    if (!user) throw new UserNotFoundException(userName);
    return user;
  }

  async replace(actor: Principal, ccidParam: string, userName: string, dto: ReplaceUserDto, source: string): Promise<User> {
    const current = await this.get(ccidParam, userName);
    const passwordChanged = dto.password !== undefined;
    const updated: User = {
      ...current,
      ...attributesOf(dto),
      passwordHash: passwordChanged ? await this.passwords.hasher.hash(dto.password!) : current.passwordHash,
      credentialStamp: passwordChanged ? newStamp() : current.credentialStamp,
      updatedAt: new Date().toISOString(),
    };
    if (!(await this.store.update(updated))) throw new UserNotFoundException(userName);
    this.directory.invalidate(userName);
    await this.audit.record({
      actor,
      ccid: current.ccid,
      action: 'userUpdate',
      outcome: 'success',
      objectType: 'user',
      objectId: current.userName,
      source,
      detail: summary(updated) + (passwordChanged ? ' password=changed' : ''),
    });
    return updated;
  }

  async delete(actor: Principal, ccidParam: string, userName: string, source: string): Promise<void> {
    const current = await this.get(ccidParam, userName);
    if (!(await this.store.delete(current.ccid, userName))) throw new UserNotFoundException(userName);
    this.directory.invalidate(userName);
    await this.audit.record({ actor, ccid: current.ccid, action: 'userDelete', outcome: 'success', objectType: 'user', objectId: current.userName, source });
  }
}

/** The public view of a user. */
export function viewOf(user: User): UserView {
  return {
    userName: user.userName,
    ccid: user.ccid,
    kind: user.kind,
    roles: user.roles,
    agentId: user.agentId,
    agentHierarchy: user.agentHierarchy,
    accessGroups: user.accessGroups,
    permissions: user.permissions,
    recordingWhen: user.recordingWhen,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function attributesOf(dto: UserAttributesDto): Pick<User, 'kind' | 'roles' | 'agentId' | 'agentHierarchy' | 'accessGroups' | 'permissions' | 'recordingWhen'> {
  return {
    kind: dto.kind ?? 'user',
    roles: [...new Set(dto.roles ?? [])].sort(),
    agentId: dto.agentId,
    agentHierarchy: dto.agentHierarchy,
    accessGroups: [...new Set(dto.accessGroups ?? [])],
    permissions: [...new Set(dto.permissions ?? [])].sort(),
    recordingWhen: dto.recordingWhen ?? 'voice',
  };
}

function newStamp(): string {
  return randomBytes(12).toString('base64url');
}

function summary(user: User): string {
  return `kind=${user.kind} roles=${user.roles.join('|')} permissions=${user.permissions.join('|')} accessGroups=${user.accessGroups.join('|')}`;
}
