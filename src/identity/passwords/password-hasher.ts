import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
/** Hashes with a larger cost than this are refused rather than computed (a stored value is not trusted blindly). */
const MAX_COST = 20;
/**
 * scrypt runs on libuv's thread pool (4 threads by default), which file I/O also needs (the embedded
 * store's fsyncs). At most this many hashes run at once, so a flood of password guesses queues here
 * instead of starving the disk.
 */
const MAX_CONCURRENT_HASHES = 2;

/** A parsed `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` string (PHC string format, base64 without padding). */
interface ScryptHash {
  cost: number;
  blockSize: number;
  parallelism: number;
  salt: Buffer;
  hash: Buffer;
}

/**
 * Password hashing with scrypt (memory-hard; node:crypto, no native add-on). The cost is stored in each
 * hash, so raising it later only affects new passwords. Work runs on libuv's thread pool, never on the
 * event loop.
 */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly cost: number) {
    if (!Number.isInteger(cost) || cost < 1 || cost > MAX_COST) throw new Error(`scrypt cost ${cost} out of range`);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const hash = await this.limited(() => derive(password, salt, this.cost, BLOCK_SIZE, PARALLELISM));
    return `$scrypt$ln=${this.cost},r=${BLOCK_SIZE},p=${PARALLELISM}$${b64(salt)}$${b64(hash)}`;
  }

  /** True when `password` matches; false for a mismatch or an unreadable hash. Time does not depend on where bytes differ. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parse(encoded);
    if (!parsed) return false;
    const candidate = await this.limited(() => derive(password, parsed.salt, parsed.cost, parsed.blockSize, parsed.parallelism, parsed.hash.length));
    return candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    // A finishing hash hands its slot straight to the next waiter, so the count never overshoots.
    if (this.running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

function derive(password: string, salt: Buffer, cost: number, blockSize: number, parallelism: number, keyLength = KEY_LENGTH): Promise<Buffer> {
  const N = 2 ** cost;
  // scrypt needs 128·N·r bytes; allow twice that so the default 32 MiB cap does not refuse cost 15.
  const maxmem = 256 * N * blockSize + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r: blockSize, p: parallelism, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function parse(encoded: string): ScryptHash | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!match) return undefined;
  const [cost, blockSize, parallelism] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (cost < 1 || cost > MAX_COST || blockSize < 1 || blockSize > 16 || parallelism < 1 || parallelism > 4) return undefined;
  const salt = Buffer.from(match[4], 'base64');
  const hash = Buffer.from(match[5], 'base64');
  if (hash.length < 16 || hash.length > 64) return undefined;
  return { cost, blockSize, parallelism, salt, hash };
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
