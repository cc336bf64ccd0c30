import { Injectable } from '@nestjs/common';
import { User, userKey } from '../../identity/users/user';
import { UserStore } from '../../identity/users/user.store';
import { EmbeddedDatabase } from './embedded-database';

const USERS = 'users';

/** UserStore on the embedded database: one row per user, keyed by the node-wide user name key. */
@Injectable()
export class EmbeddedUserStore extends UserStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(user: User): Promise<boolean> {
    return this.db.putIfAbsent(USERS, userKey(user.userName), toRow(user));
  }

  async get(ccid: string, userName: string): Promise<User | undefined> {
    const user = await this.findByName(userName);
    return user && user.ccid === ccid ? user : undefined;
  }

  async findByName(userName: string): Promise<User | undefined> {
    const row = this.db.get(USERS, userKey(userName));
    return row ? toUser(row) : undefined;
  }

  async list(ccid: string): Promise<User[]> {
    return [...this.db.values(USERS)]
      .filter((row) => row.ccid === ccid)
      .map(toUser)
      .sort((a, b) => userKey(a.userName).localeCompare(userKey(b.userName)));
  }

  async update(user: User): Promise<boolean> {
    const key = userKey(user.userName);
    const current = this.db.get(USERS, key);
    if (!current || current.ccid !== user.ccid) return false;
    await this.db.put(USERS, key, { ...toRow(user), createdAt: current.createdAt });
    return true;
  }

  async delete(ccid: string, userName: string): Promise<boolean> {
    const key = userKey(userName);
    const current = this.db.get(USERS, key);
    if (!current || current.ccid !== ccid) return false;
    return this.db.delete(USERS, key);
  }
}

function toRow(user: User): Record<string, unknown> {
  return { ...user };
}

function toUser(row: Record<string, unknown>): User {
  const copy = row as unknown as User;
  copy.roles = [...copy.roles].sort();
  copy.permissions = [...copy.permissions].sort();
  return copy;
}
