import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../../src/identity/audit/audit-entry';
import { AuditLogStore } from '../../src/identity/audit/audit-log.store';
import { RefreshTokenRecord, RefreshTokenStore } from '../../src/identity/tokens/refresh-token.store';
import { RevocationStore } from '../../src/identity/tokens/revocation.store';
import { SigningKeyStore } from '../../src/identity/tokens/signing-key.store';
import { User } from '../../src/identity/users/user';
import { UserStore } from '../../src/identity/users/user.store';
import { openPersistence } from '../support/persistence-harness';
import { expectEventually } from '../support/test-app';
import { METADATA_BACKENDS } from '../support/test-config';

jest.setTimeout(120_000);

function aUser(overrides: Partial<User> = {}): User {
  const now = new Date().toISOString();
  return {
    ccid: randomUUID(),
    userName: `user-${randomUUID().slice(0, 8)}`,
    kind: 'user',
    passwordHash: '$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA',
    credentialStamp: 'stamp-1',
    roles: ['agent'],
    agentId: 'agent-1',
    agentHierarchy: '/EMEA/Team1/agent-1',
    accessGroups: ['/EMEA/Team1'],
    permissions: ['decrypt'],
    recordingWhen: 'voice',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe.each(METADATA_BACKENDS)('identity stores on %s', (backend) => {
  let moduleRef: TestingModule;
  let users: UserStore;
  let keys: SigningKeyStore;
  let refresh: RefreshTokenStore;
  let revocations: RevocationStore;
  let audit: AuditLogStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    users = moduleRef.get(UserStore);
    keys = moduleRef.get(SigningKeyStore);
    refresh = moduleRef.get(RefreshTokenStore);
    revocations = moduleRef.get(RevocationStore);
    audit = moduleRef.get(AuditLogStore);
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  describe('UserStore', () => {
    it('creates, finds by name case-insensitively, and refuses the same name in any contact center', async () => {
      const user = aUser({ userName: `Mixed-${randomUUID().slice(0, 6)}` });
      expect(await users.create(user)).toBe(true);
      expect(await users.findByName(user.userName.toLowerCase())).toEqual(user);
      expect(await users.get(user.ccid, user.userName.toUpperCase())).toEqual(user);
      expect(await users.create({ ...aUser(), userName: user.userName.toUpperCase() })).toBe(false);
      expect(await users.create({ ...user })).toBe(false);
    });

    it('keeps a user invisible from another contact center', async () => {
      const user = aUser();
      await users.create(user);
      const other = randomUUID();
      expect(await users.get(other, user.userName)).toBeUndefined();
      expect(await users.update({ ...user, ccid: other, roles: ['admin'] })).toBe(false);
      expect(await users.delete(other, user.userName)).toBe(false);
      expect((await users.findByName(user.userName))?.roles).toEqual(['agent']);
    });

    it('lists the users of one contact center only, after a refused duplicate in another', async () => {
      const ccid = randomUUID();
      const a = aUser({ ccid, userName: `b-${randomUUID().slice(0, 6)}` });
      const b = aUser({ ccid, userName: `a-${randomUUID().slice(0, 6)}`, kind: 'service', roles: [], agentId: undefined, agentHierarchy: undefined });
      await users.create(a);
      await users.create(b);
      const intruderCc = randomUUID();
      expect(await users.create(aUser({ ccid: intruderCc, userName: a.userName }))).toBe(false);
      expect((await users.list(ccid)).map((u) => u.userName)).toEqual([b.userName, a.userName]);
      expect(await users.list(intruderCc)).toEqual([]);
      expect((await users.list(ccid))[0].agentId).toBeUndefined();
    });

    it('updates and deletes', async () => {
      const user = aUser();
      await users.create(user);
      const updated: User = { ...user, roles: ['admin', 'supervisor'], accessGroups: ['/', '/x'], credentialStamp: 'stamp-2', updatedAt: new Date().toISOString() };
      expect(await users.update(updated)).toBe(true);
      expect(await users.get(user.ccid, user.userName)).toEqual(updated);
      expect(await users.delete(user.ccid, user.userName)).toBe(true);
      expect(await users.findByName(user.userName)).toBeUndefined();
      expect(await users.list(user.ccid)).toEqual([]);
      expect(await users.delete(user.ccid, user.userName)).toBe(false);
      expect(await users.update(updated)).toBe(false);
    });
  });

  describe('SigningKeyStore', () => {
    it('creates once, lists oldest first, retires keeping the first retirement time', async () => {
      const kid = `k-${randomUUID()}`;
      const key = { kid, algorithm: 'EdDSA', publicKey: 'PUB', sealedPrivateKey: 'SEALED', createdAt: new Date(Date.now() - 1000).toISOString() };
      expect(await keys.create(key)).toBe(true);
      expect(await keys.create({ ...key, publicKey: 'OTHER' })).toBe(false);
      const listed = (await keys.list()).find((k) => k.kid === kid);
      expect(listed).toEqual(key);
      const first = new Date().toISOString();
      expect(await keys.retire(kid, first)).toBe(true);
      expect(await keys.retire(kid, new Date(Date.now() + 5000).toISOString())).toBe(true);
      expect((await keys.list()).find((k) => k.kid === kid)?.retiredAt).toBe(first);
      expect(await keys.retire(`missing-${randomUUID()}`, first)).toBe(false);
    });
  });

  describe('RefreshTokenStore', () => {
    function aToken(overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
      const now = Date.now();
      return {
        tokenHash: randomUUID(),
        sessionId: randomUUID(),
        ccid: randomUUID(),
        userName: 'alice',
        credentialStamp: 's',
        sessionStartedAt: new Date(now).toISOString(),
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(),
        ...overrides,
      };
    }

    it('stores, and lets exactly one of two concurrent exchanges win', async () => {
      const token = aToken();
      await refresh.put(token);
      expect(await refresh.get(token.tokenHash)).toEqual(token);
      const at = new Date().toISOString();
      const results = await Promise.all([refresh.markUsed(token, at), refresh.markUsed(token, at)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await refresh.get(token.tokenHash))?.usedAt).toBe(at);
    });

    it('does not mark or create an unknown token', async () => {
      const token = aToken();
      expect(await refresh.markUsed(token, new Date().toISOString())).toBe(false);
      expect(await refresh.get(token.tokenHash)).toBeUndefined();
    });

    it('keeps tokens without a contact center (the ops account)', async () => {
      const token = aToken({ ccid: undefined, userName: 'ops' });
      await refresh.put(token);
      expect(await refresh.get(token.tokenHash)).toEqual(token);
    });

    it('reads an expired token as absent', async () => {
      const token = aToken({ expiresAt: new Date(Date.now() + 1500).toISOString() });
      await refresh.put(token);
      expect(await refresh.get(token.tokenHash)).toBeDefined();
      await expectEventually(async () => expect(await refresh.get(token.tokenHash)).toBeUndefined(), 5000);
    });
  });

  describe('RevocationStore', () => {
    it('answers by id and lists revocations since a time', async () => {
      const before = new Date(Date.now() - 1);
      const sessionId = randomUUID();
      const revocation = { sessionId, revokedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() };
      expect(await revocations.isRevoked(sessionId)).toBe(false);
      await revocations.revoke(revocation);
      expect(await revocations.isRevoked(sessionId)).toBe(true);
      expect(await revocations.listSince(before)).toContainEqual(revocation);
      expect((await revocations.listSince(new Date(Date.now() + 1000))).map((r) => r.sessionId)).not.toContain(sessionId);
    });

    it('forgets expired revocations', async () => {
      const sessionId = randomUUID();
      await revocations.revoke({ sessionId, revokedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 1200).toISOString() });
      expect(await revocations.isRevoked(sessionId)).toBe(true);
      await expectEventually(async () => expect(await revocations.isRevoked(sessionId)).toBe(false), 5000);
      expect((await revocations.listSince(new Date(Date.now() - 60_000))).map((r) => r.sessionId)).not.toContain(sessionId);
    });
  });

  describe('AuditLogStore', () => {
    const base = Date.parse('2030-03-10T23:59:58.000Z');
    const ccid = randomUUID();
    const entries: AuditEntry[] = [];

    beforeAll(async () => {
      // Six entries over a day boundary, two in the same millisecond, two actors.
      const offsets = [0, 1000, 1000, 2500, 3000, 86_400_000];
      offsets.forEach((offset, i) =>
        entries.push({
          id: `id-${i}`,
          ccid,
          at: new Date(base + offset).toISOString(),
          actor: i % 2 === 0 ? 'Alice' : 'bob',
          actorKind: 'user',
          action: i % 2 === 0 ? 'play' : 'search',
          objectType: 'recording',
          objectId: `rec-${i}`,
          source: '198.51.100.7',
          outcome: i === 3 ? 'denied' : 'success',
          detail: i === 1 ? 'callerPhoneNumber=+1617*' : undefined,
        }),
      );
      for (const e of entries) await audit.append(e);
      await audit.append({ ...entries[0], id: 'other-cc', ccid: randomUUID() });
    });

    const newestFirst = (list: AuditEntry[]) => [...list].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));

    it('returns a time window newest first, upper bound exclusive', async () => {
      const found = await audit.query({ ccid, from: new Date(base), to: new Date(base + 3000), limit: 100 });
      expect(found).toEqual(newestFirst(entries.slice(0, 4)));
    });

    it('filters by actor case-insensitively', async () => {
      const found = await audit.query({ ccid, from: new Date(base - 1), to: new Date(base + 90_000_000), actor: 'ALICE', limit: 100 });
      expect(found.map((e) => e.id)).toEqual(['id-4', 'id-2', 'id-0'].map((id) => id));
      expect(found.every((e) => e.actor === 'Alice')).toBe(true);
    });

    it('pages with a cursor across entries of the same millisecond and across days', async () => {
      const all = newestFirst(entries);
      const seen: AuditEntry[] = [];
      let after: { at: string; id: string } | undefined;
      for (let page = 0; page < 10; page++) {
        const found = await audit.query({ ccid, from: new Date(base), to: new Date(base + 90_000_000), limit: 2, after });
        seen.push(...found);
        if (found.length < 2) break;
        after = { at: found[found.length - 1].at, id: found[found.length - 1].id };
      }
      expect(seen).toEqual(all);
    });

    it('keeps contact centers apart', async () => {
      const found = await audit.query({ ccid: randomUUID(), from: new Date(base - 1000), to: new Date(base + 10_000), limit: 10 });
      expect(found).toEqual([]);
    });
  });
});
