// ESLint (flat config) with typescript-eslint. Besides style, it enforces the one rule of the
// house from DESIGN.md: dependencies point down. test/unit/layering.test.ts proves each wall bites.
//
// The walls match the import text, not the resolved file, so relative paths are matched at any
// depth. Several config objects can match one file, and a later object's options for a rule replace
// the earlier ones, so each scope below lists every wall that applies to it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node I/O modules a pure layer may not touch (with and without the node: prefix). */
const nodeIo = ['fs', 'fs/promises', 'net', 'child_process', 'http', 'https', 'http2', 'dgram', 'tls', 'worker_threads']
  .flatMap((m) => [m, `node:${m}`]);

/** Optional file extension on an import path ('../../protocol.js'). */
const ext = String.raw`(\.[cm]?[jt]s)?`;

/** W1: src/sim (and src/token) sit below every layer that uses them; an upward import, at any depth. */
const upperLayers = {
  regex: String.raw`^(\.\./)+(src/)?(protocol|webview|cli|vscode|cluster|plugins)${ext}(/|$)`,
  caseSensitive: true,
  message:
    'src/sim and src/token may not import protocol.ts, webview/, src/cli, src/vscode, src/cluster or src/plugins: the pure core sits below every layer that uses it (DESIGN.md).',
};

/**
 * W4: src/plugins runs local plugin binaries (credential provider, kubeconfig exec) for the layers
 * above it: it may use src/sim and src/token, never the editor, the CLI, the cluster layer or the webview.
 */
const pluginsUpperLayers = {
  regex: String.raw`^(\.\./)+(src/)?(webview|cli|vscode|cluster)${ext}(/|$)`,
  caseSensitive: true,
  message:
    'src/plugins may import src/sim and src/token only: it runs local plugin binaries for src/vscode and src/cli, and never imports them, src/cluster or webview/ (DESIGN.md).',
};
const pluginsPaths = [
  { name: 'vscode', message: 'src/plugins runs plugin binaries for the editor and the CLI alike (DESIGN.md): no vscode.' },
  { name: '@kubernetes/client-node', message: 'Cluster access lives in src/cluster (DESIGN.md).' },
];

/**
 * W5: src/manifest (Kubernetes manifests → the tokens their pods get) is pure like src/sim and may use
 * src/sim and src/token; src/cluster, src/vscode and src/cli use it, never the other way round.
 */
const manifestUpperLayers = {
  regex: String.raw`^(\.\./)+(src/)?(protocol|webview|cli|vscode|cluster|plugins)${ext}(/|$)`,
  caseSensitive: true,
  message:
    'src/manifest may import src/sim and src/token only: it reads manifests for src/cluster, src/vscode and src/cli, and never imports them, src/plugins, protocol.ts or webview/ (DESIGN.md).',
};
const manifestPaths = [
  { name: 'vscode', message: 'src/manifest is pure (DESIGN.md): no vscode.' },
  ...nodeIo.map((name) => ({ name, message: 'src/manifest is pure (DESIGN.md): no Node I/O; the caller reads the file.' })),
  { name: '@kubernetes/client-node', message: 'Cluster access lives in src/cluster (DESIGN.md); src/manifest reads plain JSON.' },
];

/** W6: src/sim and src/token sit below src/manifest, which builds on them. */
const manifestFromCore = {
  regex: String.raw`^(\.\./)+(src/)?manifest${ext}(/|$)`,
  caseSensitive: true,
  message: 'src/sim and src/token may not import src/manifest: the manifest layer builds on the pure core, not the reverse (DESIGN.md).',
};

/** The model folders of W2: one per upstream system, including those not written yet. */
const modelFolders = ['kubelet', 'apiserver', 'refresher', 'credentialProvider', 'execAuth'];

/** W2: a model reaches the scenario format (src/sim/scenario) or the engine (src/sim/engine), at any depth. */
const formatAndEngine = {
  regex: String.raw`^(\.\./)+(sim/)?(scenario|engine)${ext}(/|$)`,
  caseSensitive: true,
  message:
    'A model folder may not import the scenario format package or the engine: the format and the engine compose the models (DESIGN.md).',
};

/**
 * W3: what webview/ may import from src/sim: the trace, the presentation vocabulary, the what-if
 * contract, units and the presentation module of a model folder (the list of W2, so a new model is
 * added in one place). A regex with a negative lookahead rather than a gitignore group with '!'
 * lines: the installed ESLint matches groups with node-ignore, where a path cannot be re-included
 * once a parent directory matches ('src/sim/**' then '!src/sim/units/**' still rejects
 * '../src/sim/units/duration'), and the directory trick that works around it leaves index imports
 * ('../src/sim', '../src/sim/kubelet/') open.
 */
const webviewMayImportFromSim = [
  'trace',
  'presentations?',
  'whatIf',
  // The trace's rule texts as users read them (pure text, no engine).
  'ruleText',
  'units(/.+)?',
  `(${modelFolders.join('|')})/presentation`,
  // The outage blast radius: its result (plain data) and its words; never the analysis itself.
  'blastRadius/blastRadius(Result|Text|Input)',
];
const engineAndActors = {
  regex: String.raw`(^|/)src/sim(/|$)(?!(${webviewMayImportFromSim.join('|')})${ext}$)`,
  caseSensitive: true,
  message:
    'webview/ may import from src/sim only the trace, the presentation vocabulary, the what-if contract, units and a model\'s presentation module: the browser bundle never carries the engine or the actors (DESIGN.md).',
};

/**
 * W3 for src/protocol.ts and src/blastRadiusProtocol.ts, which the webview bundles carry too: the same
 * allow-list, seen from src/.
 */
const protocolSimImports = {
  regex: String.raw`^\./sim(/|$)(?!(${webviewMayImportFromSim.join('|')})${ext}$)`,
  caseSensitive: true,
  message:
    'src/protocol.ts and src/blastRadiusProtocol.ts are bundled into the webview, so from src/sim they may import only what webview/ may: the browser bundle never carries the engine or the actors (DESIGN.md).',
};
const protocolHostLayers = {
  regex: String.raw`^\./(vscode|cluster|cli|webview)${ext}(/|$)`,
  caseSensitive: true,
  message: 'src/protocol.ts (like src/blastRadiusProtocol.ts) is shared by the host and the webview: it imports neither side (DESIGN.md).',
};

const purePaths = [
  { name: 'vscode', message: 'src/sim and src/token are pure (DESIGN.md): no vscode.' },
  ...nodeIo.map((name) => ({ name, message: 'src/sim and src/token are pure (DESIGN.md): no Node I/O; inject it.' })),
  { name: '@kubernetes/client-node', message: 'Cluster access lives in src/cluster (DESIGN.md).' },
];

/** import('…') expressions and types are invisible to no-restricted-imports: walled code imports statically. */
const staticImportsOnly = [
  { selector: 'ImportExpression', message: 'Walled layers import statically, so that the layering rule (DESIGN.md) can check the import.' },
  { selector: 'TSImportType', message: 'Write `import type` instead, so that the layering rule (DESIGN.md) can check the import.' },
];

const pureLayer = {
  'no-restricted-imports': ['error', { paths: purePaths, patterns: [upperLayers, manifestFromCore] }],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Pure code reads time from the injected virtual clock.' },
    { object: 'Math', property: 'random', message: 'Every random draw goes through the seeded source (sim/random.ts).' },
    { object: 'performance', property: 'now', message: 'Pure code reads time from the injected virtual clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock: pass a time in.' },
    ...staticImportsOnly,
  ],
};

const webviewPaths = [
  { name: 'vscode', message: 'webview/ runs in the browser: talk to the host through src/protocol.ts.' },
  ...nodeIo.map((name) => ({ name, message: 'webview/ runs in the browser: it has no Node I/O.' })),
];
const webviewHostLayers = {
  group: ['**/src/vscode', '**/src/vscode/**', '**/src/cluster', '**/src/cluster/**', '**/src/cli', '**/src/cli/**'],
  message: 'webview/ imports only src/protocol.ts and pure helpers (DESIGN.md).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.code-server/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.mjs', 'esbuild.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', Buffer: 'readonly' } },
  },
  { files: ['src/sim/**/*.ts', 'src/token/**/*.ts'], rules: pureLayer },
  {
    files: modelFolders.map((m) => `src/sim/${m}/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { paths: purePaths, patterns: [upperLayers, manifestFromCore, formatAndEngine] }] },
  },
  {
    files: ['src/manifest/**/*.ts'],
    rules: { ...pureLayer, 'no-restricted-imports': ['error', { paths: manifestPaths, patterns: [manifestUpperLayers] }] },
  },
  {
    files: ['src/plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: pluginsPaths, patterns: [pluginsUpperLayers] }],
      'no-restricted-syntax': ['error', ...staticImportsOnly],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: webviewPaths, patterns: [webviewHostLayers, { group: ['node:*'], message: 'webview/ runs in the browser.' }, engineAndActors] },
      ],
      'no-restricted-syntax': ['error', ...staticImportsOnly],
    },
  },
  {
    files: ['src/protocol.ts', 'src/blastRadiusProtocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: webviewPaths, patterns: [protocolSimImports, protocolHostLayers] }],
      'no-restricted-syntax': ['error', ...staticImportsOnly],
    },
  },
);
