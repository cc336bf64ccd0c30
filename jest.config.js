/** Two projects: fast unit specs next to the code, and suites that need the real servers under test/. */
const transform = {
  '^.+\\.ts$': ['@swc/jest', {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  }],
};
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { displayName: 'integration', testEnvironment: 'node', transform, rootDir: '.', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.contract-spec.ts'] },
  ],
};
