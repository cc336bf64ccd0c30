import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes, scrypt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Account, opsAccount } from './authentication/account';
import { PasswordHasher } from './passwords/password-hasher';
import { userKey } from './users/user';

const CREDENTIALS_FILE = 'ops-credentials.json';

/**
 * The operator account. From RWS_OPS_USERNAME/RWS_OPS_PASSWORD when set; otherwise generated once into
 * the data directory (mode 0600) and announced on the console at that first start only.
 */
@Injectable()
export class OpsAccount implements OnModuleInit {
  private readonly logger = new Logger('OpsAccount');
  readonly userName: string;
  private readonly password: string;
  private account: Promise<Account> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.ops.username && config.ops.password) {
      this.userName = config.ops.username;
      this.password = config.ops.password;
      return;
    }
    const dir = resolve(config.dataDir);
    const file = join(dir, CREDENTIALS_FILE);
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { userName: string; password: string };
      this.userName = stored.userName;
      this.password = stored.password;
      this.logger.log({ msg: 'ops account loaded from the data directory', userName: this.userName, file });
      return;
    }
    mkdirSync(dir, { recursive: true });
    this.userName = 'ops';
    this.password = randomBytes(18).toString('base64url');
    writeFileSync(file, JSON.stringify({ userName: this.userName, password: this.password }), { mode: 0o600 });
    // Deliberately outside the JSON log: shown once on the console, the way a first-run setup is.
    process.stderr.write(
      `\nGenerated ops account (set RWS_OPS_USERNAME/RWS_OPS_PASSWORD to choose your own):\n  user: ${this.userName}\n  password: ${this.password}\n  kept in ${file}\n\n`,
    );
  }

  /** Whether a user name is the ops account's (no user may take it). */
  isOpsName(userName: string): boolean {
    return userKey(userName) === userKey(this.userName);
  }

  /**
   * The ops account as an Account. Its password is hashed like any user's, so checking it costs the same
   * scrypt as a user's and timing does not single it out. The credential stamp is derived from the
   * password with scrypt (identical on every node with the same configuration, slow to guess from a
   * token), so changing the configured password ends every ops token and session.
   */
  asAccount(): Promise<Account> {
    this.account ??= (async () => {
      const hasher = new PasswordHasher(this.config.auth.passwordHashCost);
      const [hash, stamp] = await Promise.all([hasher.hash(this.password), deriveStamp(this.userName, this.password)]);
      return opsAccount(this.userName, hash, stamp);
    })();
    return this.account;
  }

  /** Hashes at start, so the first ops request does not pay for it. */
  async onModuleInit(): Promise<void> {
    await this.asAccount();
  }
}

function deriveStamp(userName: string, password: string): Promise<string> {
  return new Promise((resolveStamp, reject) => {
    scrypt(password, `rws-ops-stamp:${userName}`, 12, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolveStamp(key.toString('base64url')),
    );
  });
}
