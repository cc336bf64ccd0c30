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
