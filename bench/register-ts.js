/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded before any TypeScript */
// Lets `node -r ./bench/register-ts.js bench/x.ts` run TypeScript benchmarks with the same SWC settings as Jest.
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
