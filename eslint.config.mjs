// Lint, and the layer rule: imports point down only (renderer -> shared, electron -> shared).
// shared/ is also compiled without Node or DOM typings (shared/tsconfig.json); this file
// catches the module imports that typings alone would not.
import tseslint from 'typescript-eslint';
import { layeringPlugin } from './electron/scripts/lint/dynamic-imports.mjs';

// Bare built-in names are matched exactly (as `paths`): as gitignore-style patterns, `crypto`
// would also match our own `../crypto/` folder.
const nodeBuiltinNames = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'url', 'zlib', 'stream', 'util', 'events', 'buffer', 'module'];

const forbidden = (groups, message, { builtins = true, regex = null } = {}) => [
  'error',
  {
    paths: builtins ? nodeBuiltinNames.map((name) => ({ name, message })) : [],
    patterns: [{ group: builtins ? ['node:*', ...groups] : groups, message }, ...(regex === null ? [] : [{ regex, message }])],
  },
];

const JSON_PARSE_RULE = {
  selector: "MemberExpression[object.name='JSON'][property.name='parse']",
  message: 'Untrusted JSON goes through shared/json/strict-json (FORMATS §1); JSON.parse accepts duplicate keys and unsafe integers.',
};

// Folders of electron/ by what they may use: hosts (main, preload, web, cli) sit on the handler
// table (api), which sits on the services. An import upward, static or dynamic, fails lint.
const HOSTS = '(main|preload|web|cli)';
const upwardFrom = (folders) => `^(\\.\\./)+${folders}/`;

// shared/ may import only itself and these pure packages.
const SHARED_PACKAGES = ['zod', '@noble/ed25519', '@noble/hashes', 'yaml'];
const outsideSharedAllowList = `^(?!\\.{1,2}/|(${SHARED_PACKAGES.map((name) => name.replace('/', '\\/')).join('|')})(/|$))`;

/** The same rule for `import(...)`, which no-restricted-imports does not see. */
const noDynamicImport = (regex, message) => ['error', { regex, message }];

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'release/**', 'node_modules/**', 'test-results/**', 'e2e/artifacts/**'] },
  ...tseslint.configs.recommended,
  { plugins: { layering: layeringPlugin } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', JSON_PARSE_RULE],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbidden(
        ['electron', 'electron/*', 'better-sqlite3', 'react', 'react-dom', 'react-dom/*', '@xyflow/*', '@tanstack/*', 'yauzl', 'tar-stream', '**/electron/**', '**/renderer/**'],
        `shared/ is pure domain code: no Node, DOM or Electron imports, nothing from electron/ or renderer/, and no package but ${SHARED_PACKAGES.join(', ')}.`,
        { regex: outsideSharedAllowList },
      ),
      'layering/no-restricted-dynamic-import': noDynamicImport(outsideSharedAllowList, 'shared/ imports only itself and its allowed packages, dynamically too.'),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': forbidden(
        ['electron', 'electron/*', 'better-sqlite3', '**/electron/**'],
        'renderer/ talks to the Node side only through the Bridge (shared/api/contract); it never imports electron/ or Node modules.',
      ),
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': forbidden(
        ['electron', 'electron/*', '**/renderer/**'],
        'services run in plain Node (CLI, web host, tests): they never import electron, the handler table (api/) or a host (main, preload, web, cli).',
        { builtins: false, regex: upwardFrom(`(api|${HOSTS})`) },
      ),
      'layering/no-restricted-dynamic-import': noDynamicImport(`^(electron$|electron/|(\\.\\./)+(api|${HOSTS})/)`, 'services never import electron, api/ or a host, dynamically either.'),
    },
  },
  {
    files: ['electron/api/**/*.ts'],
    rules: {
      'no-restricted-imports': forbidden(['electron', 'electron/*', '**/renderer/**'], 'The handler table serves every host: it never imports electron or a host (main, preload, web, cli).', {
        builtins: false,
        regex: upwardFrom(HOSTS),
      }),
      'layering/no-restricted-dynamic-import': noDynamicImport(`^(electron$|electron/|(\\.\\./)+${HOSTS}/)`, 'The handler table never imports electron or a host, dynamically either.'),
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/services/**', 'electron/api/**'],
    rules: {
      'no-restricted-imports': forbidden(['**/renderer/**'], 'electron/ never imports renderer/.', { builtins: false }),
    },
  },
);
