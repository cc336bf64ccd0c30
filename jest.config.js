/**
 * Two projects: fast unit specs next to the code, and suites that need the real servers under test/.
 * ts-jest transpiles each file on its own (no type-check: `npm run lint` does that once for the tree).
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
};
module.exports = {
  // Generous: suites run beside a real Cassandra and Apache on 2 shared cores; speed lives in bench/.
  testTimeout: 60_000,
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { displayName: 'integration', testEnvironment: 'node', transform, rootDir: '.', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.contract-spec.ts'] },
  ],
};
