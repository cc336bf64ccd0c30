import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { User, userKey } from '../../identity/users/user';
import { UserStore } from '../../identity/users/user.store';
import type { Permission, RecordingWhen, Role } from '../../identity/principal';
import { CassandraConnection } from './cassandra-connection';

const COLUMNS =
  'user_key, user_name, ccid, kind, password_hash, credential_stamp, roles, agent_id, agent_hierarchy, access_groups, permissions, recording_when, created_at, updated_at';
const LIST_CONCURRENCY = 16;

/**
 * UserStore on Cassandra. users_by_name is the truth (one partition per user name, claimed with a
 * lightweight transaction so a name is taken once node-wide); users_by_contact_center lists names per
 * contact center. The list row is written first and every listed name is re-checked against the truth,
 * so a crash between the two writes leaves at worst an ignored list row, never a user nobody can list.
 */
@Injectable()
export class CassandraUserStore extends UserStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(user: User): Promise<boolean> {
    const key = userKey(user.userName);
    await this.cql.execute('INSERT INTO users_by_contact_center (ccid, user_key) VALUES (?, ?)', [user.ccid, key], { idempotent: true });
    const result = await this.cql.execute(`INSERT INTO users_by_name (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`, toParams(user), {
      idempotent: false,
    });
    if (result.wasApplied()) return true;
    const owner = result.first()?.ccid as types.Uuid | undefined;
    if (owner && owner.toString() !== user.ccid) {
      await this.cql.execute('DELETE FROM users_by_contact_center WHERE ccid = ? AND user_key = ?', [user.ccid, key], { idempotent: true });
    }
    return false;
  }

  async get(ccid: string, userName: string): Promise<User | undefined> {
    const user = await this.findByName(userName);
    return user && user.ccid === ccid ? user : undefined;
  }

  async findByName(userName: string): Promise<User | undefined> {
    const result = await this.cql.execute(`SELECT ${COLUMNS} FROM users_by_name WHERE user_key = ?`, [userKey(userName)], { idempotent: true });
    const row = result.first();
    return row ? toUser(row) : undefined;
  }

  async list(ccid: string): Promise<User[]> {
    const keys: string[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT user_key FROM users_by_contact_center WHERE ccid = ?', [ccid], { idempotent: true, fetchSize: 1000, pageState });
      keys.push(...page.rows.map((r) => r.user_key as string));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    const users: (User | undefined)[] = new Array(keys.length);
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const i = next++;
        users[i] = await this.findByName(keys[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, keys.length) }, worker));
    return users.filter((u): u is User => u !== undefined && u.ccid === ccid);
  }

  async update(user: User): Promise<boolean> {
    const result = await this.cql.execute(
      `UPDATE users_by_name SET user_name = ?, kind = ?, password_hash = ?, credential_stamp = ?, roles = ?, agent_id = ?, agent_hierarchy = ?,
         access_groups = ?, permissions = ?, recording_when = ?, updated_at = ? WHERE user_key = ? IF ccid = ?`,
      [
        user.userName,
        user.kind,
        user.passwordHash,
        user.credentialStamp,
        user.roles,
        user.agentId ?? null,
        user.agentHierarchy ?? null,
        user.accessGroups,
        user.permissions,
        user.recordingWhen,
        new Date(user.updatedAt),
        userKey(user.userName),
        user.ccid,
      ],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async delete(ccid: string, userName: string): Promise<boolean> {
    const key = userKey(userName);
    const result = await this.cql.execute('DELETE FROM users_by_name WHERE user_key = ? IF ccid = ?', [key, ccid], { idempotent: false });
    if (!result.wasApplied()) return false;
    await this.cql.execute('DELETE FROM users_by_contact_center WHERE ccid = ? AND user_key = ?', [ccid, key], { idempotent: true });
    return true;
  }
}

function toParams(user: User): unknown[] {
  return [
    userKey(user.userName),
    user.userName,
    user.ccid,
    user.kind,
    user.passwordHash,
    user.credentialStamp,
    user.roles,
    user.agentId ?? null,
    user.agentHierarchy ?? null,
    user.accessGroups,
    user.permissions,
    user.recordingWhen,
    new Date(user.createdAt),
    new Date(user.updatedAt),
  ];
}

function toUser(row: types.Row): User {
  return {
    ccid: String(row.ccid),
    userName: row.user_name as string,
    kind: row.kind as User['kind'],
    passwordHash: row.password_hash as string,
    credentialStamp: row.credential_stamp as string,
    roles: [...((row.roles as Role[] | null) ?? [])].sort(),
    agentId: (row.agent_id as string | null) ?? undefined,
    agentHierarchy: (row.agent_hierarchy as string | null) ?? undefined,
    accessGroups: [...((row.access_groups as string[] | null) ?? [])],
    permissions: [...((row.permissions as Permission[] | null) ?? [])].sort(),
    recordingWhen: ((row.recording_when as string | null) ?? 'voice') as RecordingWhen,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}
