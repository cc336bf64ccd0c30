import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root: children run there, so `require('./src/…')` resolves. */
export const REPO_ROOT = resolve(__dirname, '../..');

/** Compiles required .ts files on the fly with TypeScript's transpiler (per file, as ts-jest does). */
const REGISTER_TS = `
const ts = require('typescript');
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
`;

/**
 * Runs `script` (CommonJS JavaScript that may require the project's .ts sources) in a separate Node process,
 * for tests that need a genuinely different process (e.g. file locks held by a pid).
 */
export function spawnTsChild(script: string, args: string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-e', REGISTER_TS + script, '--', ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
}

/** Runs RWS from the sources with the environment in argv[1] (embedded simulator ports), and prints its URL. */
const RWS_NODE_SCRIPT = `
require('reflect-metadata');
const { loadConfig } = require('./src/config/app-config.ts');
const { createApp } = require('./src/bootstrap.ts');
const { sipServersFor } = require('./tools/sipserver-sim/embedded-simulator.ts');
(async () => {
  const config = loadConfig(JSON.parse(process.argv[1]));
  const app = await createApp(config, { logger: false, ports: { sipServers: sipServersFor(config) } });
  await app.listen(0, '127.0.0.1');
  console.log('http://127.0.0.1:' + app.getHttpServer().address().port);
})().catch((err) => { console.error(err); process.exit(1); });
`;

/**
 * Starts an RWS node configured by `env` in a process of its own (so a test can SIGKILL it); resolves
 * with the process and the URL it listens on once it is up, and kills it when it does not come up.
 * Compiling the sources takes a while, hence the long wait.
 */
export async function spawnRwsNode(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawnTsChild(RWS_NODE_SCRIPT, [JSON.stringify(env)]);
  try {
    return { child, url: await firstLine(child, 120_000) };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/** Resolves with the first stdout line of `child` (rejects if it exits first). */
export function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no output from child within ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolveLine(out.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before a line: ${err}`));
    });
  });
}

/** Resolves with the exit code once `child` has exited. */
export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}
