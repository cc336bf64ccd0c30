import { Worker } from 'node:worker_threads';

/**
 * Registers a `.ts` loader (TypeScript's per-file transpiler, as ts-jest does) in a worker started on a
 * TypeScript source: tests run the sources, the built application runs `.js` and never takes this path.
 */
const REGISTER_TS = `
const ts = require('typescript');
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
`;

/** Starts a worker thread running the module at `path` (compiled `.js`, or a `.ts` source under tests). */
export function startWorker(path: string): Worker {
  if (path.endsWith('.ts')) return new Worker(`${REGISTER_TS}\nrequire(${JSON.stringify(path)});`, { eval: true });
  return new Worker(path);
}
