import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ClusterRedis } from '../cluster/cluster-redis';
import { RedisLoginAttempts } from '../cluster/redis-login-attempts';
import { RedisThrottlerStorage } from '../cluster/redis-throttler-storage';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { AccessPolicy } from './access/access-policy';
import { AuditLogController } from './audit/audit-log.controller';
import { AuditLog } from './audit/audit-log.service';
import { AuthGuard } from './auth.guard';
import { AccountDirectory } from './authentication/account-directory';
import { AuthMetrics } from './authentication/auth-metrics';
import { Authenticator } from './authentication/authenticator';
import { InMemoryLoginAttempts } from './authentication/in-memory-login-attempts';
import { LoginAttempts } from './authentication/login-attempts';
import { PasswordAuthenticator } from './authentication/password-authenticator';
import { PasswordCheckRateLimit } from './authentication/password-check-rate-limit';
import { CsrfProtection } from './csrf/csrf-protection';
import { WebSocketOrigins } from './csrf/websocket-origins';
import { MeController } from './me/me.controller';
import { NodeSecret } from './node-secret';
import { OpsAccount } from './ops-account';
import { AuthController } from './tokens/auth.controller';
import { RevocationList } from './tokens/revocation-list';
import { SigningKeyRing } from './tokens/signing-key-ring';
import { SigningKeysController } from './tokens/signing-keys.controller';
import { TokenIssuer } from './tokens/token-issuer';
import { TokenVerifier } from './tokens/token-verifier';
import { TokenService } from './tokens/token.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/**
 * Identity and access for every endpoint: the global AuthGuard (Basic, Bearer, session cookie + CSRF,
 * declared requirements), users and service accounts, tokens and signing keys, the access policy for
 * recordings and the audit log. Global, so features inject AccessPolicy, AuditLog and Authenticator
 * (e.g. for WebSocket upgrades) without importing anything.
 */
@Global()
@Module({
  imports: [ContactCentersModule],
  controllers: [MeController, AuthController, UsersController, SigningKeysController, AuditLogController],
  providers: [
    OpsAccount,
    NodeSecret,
    AccountDirectory,
    AuthMetrics,
    // Login counters: in this process when the node runs alone, on the cluster's Redis otherwise (docs/cluster.md).
    {
      provide: LoginAttempts,
      useFactory: (redis: ClusterRedis) => (redis.enabled ? new RedisLoginAttempts(redis) : new InMemoryLoginAttempts()),
      inject: [ClusterRedis],
    },
    // The per-source password-check rate limit: the same choice, so N nodes do not give a source N× the limit.
    {
      provide: ThrottlerStorage,
      useFactory: (redis: ClusterRedis) => (redis.enabled ? new RedisThrottlerStorage(redis) : new ThrottlerStorageService()),
      inject: [ClusterRedis],
    },
    PasswordCheckRateLimit,
    PasswordAuthenticator,
    SigningKeyRing,
    RevocationList,
    TokenVerifier,
    TokenIssuer,
    TokenService,
    CsrfProtection,
    WebSocketOrigins,
    Authenticator,
    AccessPolicy,
    AuditLog,
    UsersService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [OpsAccount, Authenticator, WebSocketOrigins, AccessPolicy, AuditLog, AccountDirectory, CsrfProtection],
})
export class IdentityModule {}
