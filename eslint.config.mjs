import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Layering rules (docs/screen-recording-rules.md, issue 14): modules meet through ports wired in src/composition and server/main.ts. */
const TOOLS = { group: ['**/tools/**', '**/tools'], message: 'src/ must not import tools/: the composition root (server/main.ts) wires the simulator.' };
const RECORDERS = {
  group: ['**/recorders/**', '**/recorders'],
  message: 'telephony must not import the recorders module: publish on RecordingEventsPort; src/composition/ wires recorders to it.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.run/', '.cache/', 'data/', 'jest.config.js', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'no focused tests on main' }],
    },
  },
  {
    // Typed rules: a promise nobody awaits or observes loses its failure (an unhandled rejection at best).
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // The web console (its own tsconfig, browser code): the rules of hooks, and no reach into the server.
    files: ['console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['console/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '**/tools/**', '**/server/**'], message: 'the console talks to RWS over HTTP only' }] }] },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TOOLS] }] },
  },
  {
    files: ['src/telephony/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TOOLS, RECORDERS] }] },
  },
);
