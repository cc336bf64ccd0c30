import { Migration } from './migration';

/**
 * Users, token signing keys, refresh tokens, revoked sessions and the audit log.
 * - users_by_name is the authoritative user row, keyed by the node-wide user name key (Basic auth has no
 *   ccid); users_by_contact_center only lists the names of a contact center.
 * - refresh tokens and revocations carry a TTL, so they vanish when no credential can use them any more.
 * - the audit log is partitioned by (ccid, day) and, for queries by user, by (ccid, actor, day), newest first.
 */
export const m002Identity: Migration = {
  version: 2,
  name: 'identity: users, signing keys, refresh tokens, revocations, audit log',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.users_by_name (
       user_key text PRIMARY KEY, user_name text, ccid uuid, kind text, password_hash text, credential_stamp text,
       roles set<text>, agent_id text, agent_hierarchy text, access_groups list<text>, permissions set<text>,
       recording_when text, created_at timestamp, updated_at timestamp)`,
    `CREATE TABLE IF NOT EXISTS {ks}.users_by_contact_center (
       ccid uuid, user_key text, PRIMARY KEY ((ccid), user_key))`,
    `CREATE TABLE IF NOT EXISTS {ks}.signing_keys (
       kid text PRIMARY KEY, algorithm text, public_key text, sealed_private_key text, created_at timestamp, retired_at timestamp)`,
    `CREATE TABLE IF NOT EXISTS {ks}.refresh_tokens (
       token_hash text PRIMARY KEY, session_id text, ccid uuid, user_name text, credential_stamp text,
       session_started_at timestamp, issued_at timestamp, expires_at timestamp, used_at timestamp)`,
    `CREATE TABLE IF NOT EXISTS {ks}.revoked_sessions (
       session_id text PRIMARY KEY, revoked_at timestamp, expires_at timestamp)`,
    `CREATE TABLE IF NOT EXISTS {ks}.revoked_sessions_by_hour (
       hour text, revoked_at timestamp, session_id text, expires_at timestamp,
       PRIMARY KEY ((hour), revoked_at, session_id))`,
    `CREATE TABLE IF NOT EXISTS {ks}.audit_log (
       ccid uuid, day text, at timestamp, id text, actor text, actor_kind text, action text, object_type text,
       object_id text, source text, outcome text, detail text,
       PRIMARY KEY ((ccid, day), at, id)) WITH CLUSTERING ORDER BY (at DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.audit_log_by_actor (
       ccid uuid, actor_key text, day text, at timestamp, id text, actor text, actor_kind text, action text,
       object_type text, object_id text, source text, outcome text, detail text,
       PRIMARY KEY ((ccid, actor_key, day), at, id)) WITH CLUSTERING ORDER BY (at DESC, id DESC)`,
  ],
};
