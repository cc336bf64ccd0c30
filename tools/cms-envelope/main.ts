/**
 * Moves media between RWS's detached form (`pkcs7` PEM + `<name>.bin`) and one attached CMS file:
 *
 *   node dist/tools/cms-envelope/main.js join <envelope.pem> <name.bin> <out.der>   # for openssl cms -decrypt -inform DER
 *   node dist/tools/cms-envelope/main.js split <in.der|in.pem> <out.pem> <out.bin>  # from openssl cms -encrypt
 */
import { createReadStream, createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { joinEnvelope, splitAttachedEnvelope } from '../../src/crypto/cms/attached-envelope';

async function main(args: string[]): Promise<void> {
  const [command, a, b, c] = args;
  if (command === 'join' && a && b && c) {
    await pipeline(joinEnvelope(readFileSync(a, 'utf8'), createReadStream(b), statSync(b).size), createWriteStream(c));
    return;
  }
  if (command === 'split' && a && b && c) {
    const { pkcs7, ciphertext } = splitAttachedEnvelope(readFileSync(a));
    writeFileSync(b, pkcs7);
    writeFileSync(c, ciphertext);
    return;
  }
  process.stderr.write('usage: cms-envelope join <envelope.pem> <name.bin> <out.der> | split <in.der|in.pem> <out.pem> <out.bin>\n');
  process.exitCode = 64;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`cms-envelope: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
