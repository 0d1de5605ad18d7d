// Lint rules for the whole repository, run per workspace by `npm test` (turbo task `lint`: `eslint .`).
// typescript-eslint's recommended set without type information (fast: no program per file), plus the architecture
// rules that a single import or string can break. The arrows between packages are checked by dependency-cruiser
// (.dependency-cruiser.cjs, turbo task `//#depcheck`).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Product source: what ships (not tests, benches, fixtures or configs). */
const PRODUCT_SOURCE = ['apps/*/src/**', 'packages/*/src/**', 'infra/bin/**', 'infra/lib/**', 'infra/scripts/**'];
const TESTS = ['**/test/**', 'test/**', '**/*.test.ts', '**/*.test.tsx', '**/*.bench.ts'];

const KEYS_FILE = 'packages/store/src/keys.ts';

/**
 * The DynamoDB key prefixes, read from keys.ts itself so that a prefix added there is guarded at once: every upper-case
 * word that opens a key string followed by '#' (ORG#, AUDIT#, DS#, …), and whole upper-case key constants ('DATASETS').
 */
function keyPatterns() {
  const source = readFileSync(new URL(KEYS_FILE, import.meta.url), 'utf8');
  const prefixes = new Set([...source.matchAll(/['`]([A-Z][A-Z_]*)#/g)].map((m) => m[1]));
  const constants = new Set([...source.matchAll(/[pP]k: '([A-Z][A-Z_]{3,})'/g)].map((m) => m[1]));
  if (!prefixes.has('ORG') || !prefixes.has('AUDIT')) throw new Error(`eslint.config.js: found no key prefixes in ${KEYS_FILE}`);
  return { prefixes: [...prefixes].sort(), constants: [...constants].sort() };
}
const { prefixes, constants } = keyPatterns();
const prefixRegex = `/^(${prefixes.join('|')})#/`;
const keyMessage = `DynamoDB keys are built only in ${KEYS_FILE} (keys.*): a prefix spelled elsewhere breaks silently when the key layout changes.`;
const keyStrings = [
  { selector: `Literal[value=${prefixRegex}]`, message: keyMessage },
  { selector: `TemplateLiteral > TemplateElement:first-child[value.raw=${prefixRegex}]`, message: keyMessage },
  ...constants.map((c) => ({ selector: `Literal[value='${c}']`, message: keyMessage })),
];

const turfAndProj4 = {
  group: ['@turf/*', 'proj4', 'proj4/*'],
  message: 'Spatial algorithms live in packages/geo/src: import them from @safer-places/geo (Turf and proj4 only there).',
};

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/cdk.out/', '**/coverage/', 'test/artifacts/', '**/.turbo/', '**/*.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused code is an error; a leading `_` marks a parameter or value that is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // The ambient module declarations of an untyped dependency travel with the source that needs them.
      '@typescript-eslint/triple-slash-reference': ['error', { path: 'always', types: 'prefer-import', lib: 'never' }],
      // Flags the initial value of a variable that every branch of a try/catch or loop then assigns: style, not bugs.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Tests read loosely typed JSON responses and poke at internals: `any` is kept out of product source only.
    files: TESTS,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Node globals for configs and scripts written in plain JavaScript.
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', URL: 'readonly' } },
  },
  {
    // Hooks called conditionally or outside components break React's state silently. (exhaustive-deps is not on: the
    // web app leaves some dependencies out on purpose, e.g. a map ref read inside a sync effect.)
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // ── Architecture ───────────────────────────────────────────────────────────────────────────────────────────────
  {
    // Turf and proj4 only in packages/geo/src. Tests elsewhere may use Turf as an independent reference to check
    // geo's results against.
    files: PRODUCT_SOURCE.map((g) => `${g}/*.{ts,tsx}`),
    ignores: ['packages/geo/src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [turfAndProj4] }] },
  },
  {
    // The web app runs in the browser and talks to the API over HTTP: of our packages it imports only the contract.
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@safer-places/*', '!@safer-places/schemas', '!@safer-places/schemas/*'],
              message: 'The web app imports only @safer-places/schemas of our packages; domain, geo and store stay on the server (move a shared type or pure function into schemas).',
            },
            {
              group: ['hono', 'hono/*', '@hono/*', '@aws-sdk/*', '@aws-lambda-powertools/*', 'dynalite'],
              message: 'Server libraries stay out of the browser bundle.',
            },
            turfAndProj4,
          ],
        },
      ],
    },
  },
  {
    // Keys are built in keys.ts only. Tests may spell a key: they assert the stored layout on purpose.
    files: PRODUCT_SOURCE.map((g) => `${g}/*.{ts,tsx}`),
    ignores: [KEYS_FILE, ...TESTS],
    rules: { 'no-restricted-syntax': ['error', ...keyStrings] },
  },
);
