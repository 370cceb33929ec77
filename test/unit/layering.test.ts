// Proves the layering rule of DESIGN.md bites: the lint config rejects forbidden imports in the pure
// layers and the webview, and accepts what they may use. Each wall has fixtures that must be rejected
// (with the wall's own message, so that a neighbouring wall cannot pass for it) and fixtures that
// must lint clean. The fixtures are code text linted under a virtual path, not files of the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

interface Problem {
  ruleId: string;
  message: string;
}

async function problems(code: string, filePath: string): Promise<Problem[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned no result');
  return result.messages.map((m) => ({ ruleId: m.ruleId ?? `fatal: ${m.message}`, message: m.message }));
}

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  return (await problems(code, filePath)).map((p) => p.ruleId);
}

/** A value import of `from`, used, so that only the import itself can be at fault. */
const importing = (from: string): string => `import { x } from '${from}';\nexport const y = x;\n`;
/** A type-only import: the walls hold for types too. */
const importingType = (from: string): string => `import type { X } from '${from}';\nexport type Y = X;\n`;
/** A re-export: the walls hold for `export … from` too. */
const reExporting = (from: string): string => `export * from '${from}';\n`;

/** Asserts that `code` at `filePath` is rejected by `rule` with a message containing `wall`. */
async function assertRejected(code: string, filePath: string, rule: string, wall: string): Promise<void> {
  const found = await problems(code, filePath);
  assert.ok(
    found.some((p) => p.ruleId === rule && p.message.includes(wall)),
    `expected ${rule} with "${wall}" for ${JSON.stringify(code)} in ${filePath}, got ${JSON.stringify(found)}`,
  );
}

async function assertClean(code: string, filePath: string): Promise<void> {
  assert.deepEqual(await problems(code, filePath), [], `expected ${JSON.stringify(code)} in ${filePath} to lint clean`);
}

// Distinctive parts of each wall's message.
const W1 = 'the pure core sits below every layer that uses it';
const W2 = 'the format and the engine compose the models';
const W3 = 'the browser bundle never carries the engine or the actors';
const W4 = 'src/plugins may import src/sim and src/token only';

// ---- The pure layers: no vscode, no Node I/O, no cluster client, no wall clock, no Math.random ----

const forbiddenInPure: Array<[string, string]> = [
  ["import * as vscode from 'vscode';", 'no-restricted-imports'],
  ["import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
  ["import { readFileSync } from 'fs';", 'no-restricted-imports'],
  ["import { spawn } from 'child_process';", 'no-restricted-imports'],
  ["import { createServer } from 'node:net';", 'no-restricted-imports'],
  ["import { KubeConfig } from '@kubernetes/client-node';", 'no-restricted-imports'],
  ["import { loadKubeconfig } from '../../cluster/kubeconfig';", 'no-restricted-imports'],
  ["import { ClusterTreeProvider } from '../vscode/clusterTree';", 'no-restricted-imports'],
  ['export const t = Date.now();', 'no-restricted-properties'],
  ['export const r = Math.random();', 'no-restricted-properties'],
  ['export const d = new Date();', 'no-restricted-syntax'],
];

// src/sim/kubelet and src/sim/execAuth are model folders (a config object of their own, which must
// not drop the pure-layer bans); src/sim/scenario and src/sim itself are not.
for (const dir of ['src/sim/kubelet', 'src/sim/execAuth', 'src/sim/scenario', 'src/sim', 'src/token']) {
  for (const [code, rule] of forbiddenInPure) {
    test(`${dir}: lint rejects ${code}`, async () => {
      const ids = await ruleIds(`${code}\nexport {};\n`, `${dir}/example.ts`);
      assert.ok(ids.includes(rule), `expected ${rule}, got ${JSON.stringify(ids)}`);
    });
  }
}

test('src/sim may use its own helpers, pure packages and a given time', async () => {
  const code = "import { parse } from 'yaml';\nimport type { Trace } from '../trace';\nexport const d = (t: number): Date => new Date(t);\nexport type T = Trace;\nexport const p = parse;\n";
  assert.deepEqual(await ruleIds(code, 'src/sim/scenario/example.ts'), []);
});

// ---- W1: src/sim (and src/token) never import protocol.ts, webview/, src/cli, src/vscode, src/cluster ----

const upwardImports: Array<[file: string, from: string]> = [
  ['src/sim/scenario/example.ts', '../../protocol'],
  ['src/sim/scenario/example.ts', '../../protocol.js'],
  ['src/sim/scenario/example.ts', '../../webview/app'],
  ['src/sim/scenario/example.ts', '../../cli/summary'],
  ['src/sim/scenario/example.ts', '../../vscode/timelinePanel'],
  ['src/sim/scenario/example.ts', '../../cluster/kubeconfig'],
  ['src/sim/example.ts', '../protocol'],
  ['src/sim/example.ts', '../webview/app'],
  ['src/sim/example.ts', '../cli'],
  ['src/sim/example.ts', '../vscode'],
  ['src/sim/example.ts', '../cluster'],
  ['src/sim/kubelet/example.ts', '../../protocol'],
  ['src/sim/kubelet/example.ts', '../../cli/summary'],
  ['src/sim/credentialProvider/example.ts', '../../webview/app'],
  ['src/sim/kubelet/deep/example.ts', '../../../protocol'],
  ['src/sim/kubelet/deep/example.ts', '../../../vscode'],
  ['src/sim/scenario/example.ts', '../../../src/protocol'],
  ['src/token/example.ts', '../protocol'],
  ['src/token/example.ts', '../cli/summary'],
  ['src/sim/credentialProvider/example.ts', '../../plugins/credentialProviderPlugin'],
  ['src/sim/example.ts', '../plugins'],
  ['src/token/example.ts', '../plugins/processRunner'],
];

for (const [file, from] of upwardImports) {
  test(`W1: ${file} may not import '${from}'`, async () => {
    await assertRejected(importing(from), file, 'no-restricted-imports', W1);
  });
}

test('W1 holds for type imports, re-exports and import-equals', async () => {
  await assertRejected(importingType('../../protocol'), 'src/sim/scenario/whatIfExample.ts', 'no-restricted-imports', W1);
  await assertRejected(reExporting('../../cli/summary'), 'src/sim/scenario/example.ts', 'no-restricted-imports', W1);
  await assertRejected("export { WHAT_IF_LIMITS } from '../../protocol';\n", 'src/sim/scenario/example.ts', 'no-restricted-imports', W1);
  await assertRejected("export type { WhatIfParams } from '../../protocol';\n", 'src/sim/scenario/example.ts', 'no-restricted-imports', W1);
  await assertRejected("import p = require('../../protocol');\nexport const q = p;\n", 'src/sim/scenario/example.ts', 'no-restricted-imports', W1);
});

test('walled layers import statically, so no import() can slip past a wall', async () => {
  for (const file of ['src/sim/scenario/example.ts', 'src/token/example.ts', 'webview/example.ts']) {
    await assertRejected("export const m = import('../../protocol');\n", file, 'no-restricted-syntax', 'import statically');
    await assertRejected("export type W = import('../../protocol').WhatIfParams;\n", file, 'no-restricted-syntax', 'import type');
  }
});

test('W1: src/sim may import within src/sim, and src/token may reuse sim rules', async () => {
  for (const from of ['../trace', '../traceBuilder', '../units/duration', '../apiserver/tokenRequest', './types', './protocolNotes']) {
    await assertClean(importingType(from), 'src/sim/scenario/example.ts');
  }
  await assertClean(importingType('./trace'), 'src/sim/example.ts');
  await assertClean(importing('../sim/kubelet/tokenManager'), 'src/token/example.ts');
});

// ---- W2: a model folder never imports the scenario format package nor the engine ----

const models = ['kubelet', 'apiserver', 'refresher', 'credentialProvider', 'execAuth'];

for (const model of models) {
  test(`W2: src/sim/${model} may not import the scenario format or the engine`, async () => {
    const file = `src/sim/${model}/example.ts`;
    for (const from of ['../scenario/types', '../scenario', '../scenario/run', '../engine', '../engine/scheduler', '../engine.js']) {
      await assertRejected(importing(from), file, 'no-restricted-imports', W2);
    }
    await assertRejected(importingType('../scenario/types'), file, 'no-restricted-imports', W2);
    await assertRejected(reExporting('../engine'), file, 'no-restricted-imports', W2);
    await assertRejected(importing('../../scenario/types'), `src/sim/${model}/deep/example.ts`, 'no-restricted-imports', W2);
    // The model folders' own config object keeps W1.
    await assertRejected(importing('../../protocol'), file, 'no-restricted-imports', W1);
  });

  test(`W2: src/sim/${model} may import other models, the core helpers, the seam types and units`, async () => {
    const file = `src/sim/${model}/example.ts`;
    const allowed = [
      '../apiserver/tokenRequest',
      '../kubelet/tokenManager',
      '../refresher/calicoRefresher',
      '../credentialProvider/pluginCache',
      '../execAuth/authenticator',
      '../clock',
      '../random',
      '../trace',
      '../traceBuilder',
      '../model',
      '../section',
      '../presentation',
      '../whatIf',
      '../units/duration',
      '../units/datetime',
      './local',
    ];
    for (const from of allowed) await assertClean(importing(from), file);
  });
}

test('W2 binds the model folders only: the format and the engine may import the models', async () => {
  await assertClean(importing('../kubelet/podWorker'), 'src/sim/scenario/example.ts');
  await assertClean(importing('../kubelet/podWorker'), 'src/sim/engine/example.ts');
  await assertClean(importing('../scenario/types'), 'src/sim/engine/example.ts');
  await assertClean(importing('./scenario/types'), 'src/sim/example.ts');
});

// ---- W3: webview/ never imports the engine or actors, nor the host layers ----

test('webview/ may not import vscode, Node or the host layers', async () => {
  const file = 'webview/example.ts';
  for (const from of ['vscode', 'node:fs', 'fs', '../src/vscode/timelinePanel', '../src/vscode', '../src/cluster/kubeconfig', '../src/cli/summary', '../src/cli']) {
    assert.ok((await ruleIds(importing(from), file)).includes('no-restricted-imports'), `expected '${from}' to be rejected`);
  }
  assert.deepEqual(await ruleIds("import type { HostMessage } from '../src/protocol';\nexport type M = HostMessage;\n", file), []);
});

const engineOrActors = [
  '../src/sim/engine',
  '../src/sim/engine/run',
  '../src/sim/engine/presentation',
  '../src/sim/scenario/run',
  '../src/sim/scenario/types',
  '../src/sim/scenario/whatIf',
  '../src/sim/scenario/presentation',
  '../src/sim/kubelet/tokenManager',
  '../src/sim/kubelet/podWorker',
  '../src/sim/kubelet/deep/presentation',
  '../src/sim/notAModel/presentation',
  '../src/sim/apiserver/tokenIssuer',
  '../src/sim/refresher/calicoRefresher',
  '../src/sim/clock',
  '../src/sim/random',
  '../src/sim/traceBuilder',
  '../src/sim/traceCsv',
  '../src/sim/model',
  '../src/sim/section',
  '../src/sim/trace/extra',
  '../src/sim',
  '../src/sim/',
  '../src/sim/kubelet',
  '../src/sim/kubelet/',
];

for (const from of engineOrActors) {
  test(`W3: webview/ may not import '${from}'`, async () => {
    await assertRejected(importing(from), 'webview/example.ts', 'no-restricted-imports', W3);
  });
}

test('W3 holds for type imports, re-exports and deeper webview files', async () => {
  await assertRejected(importingType('../src/sim/scenario/types'), 'webview/example.ts', 'no-restricted-imports', W3);
  await assertRejected(reExporting('../src/sim/engine'), 'webview/example.ts', 'no-restricted-imports', W3);
  await assertRejected(importing('../../src/sim/kubelet/tokenManager'), 'webview/panels/example.ts', 'no-restricted-imports', W3);
});

test('W3: webview/ may import the trace, the presentation vocabulary, the what-if contract, units and model presentations', async () => {
  const allowed = [
    '../src/sim/trace',
    '../src/sim/trace.js',
    '../src/sim/presentation',
    '../src/sim/presentations',
    '../src/sim/whatIf',
    '../src/sim/units',
    '../src/sim/units/duration',
    '../src/sim/units/datetime',
    '../src/sim/kubelet/presentation',
    '../src/sim/apiserver/presentation',
    '../src/sim/refresher/presentation',
    '../src/sim/credentialProvider/presentation',
    '../src/sim/execAuth/presentation',
    '../src/protocol',
    'echarts/core',
  ];
  for (const from of allowed) await assertClean(importing(from), 'webview/example.ts');
  await assertClean(importingType('../../src/sim/trace'), 'webview/panels/example.ts');
});

test('W3 for src/protocol.ts (in both bundles): only what webview/ may take from src/sim, and neither side', async () => {
  for (const from of ['./sim/engine/run', './sim/scenario/whatIf', './sim/kubelet/tokenManager', './sim/traceBuilder', './sim']) {
    await assertRejected(importing(from), 'src/protocol.ts', 'no-restricted-imports', W3);
  }
  for (const from of ['./vscode/timelinePanel', './cluster/clusterClient', './cli/summary', './webview/app']) {
    await assertRejected(importing(from), 'src/protocol.ts', 'no-restricted-imports', 'it imports neither side');
  }
  await assertRejected("import * as vscode from 'vscode';\nexport { vscode };\n", 'src/protocol.ts', 'no-restricted-imports', 'webview/ runs in the browser');
  for (const from of ['./sim/trace', './sim/whatIf', './sim/presentations', './sim/units/duration', './sim/kubelet/presentation']) {
    await assertClean(importing(from), 'src/protocol.ts');
  }
});

test('W3 for src/blastRadiusProtocol.ts (in both bundles) and the blast-radius page: the result and its words, never the analysis', async () => {
  for (const from of ['./sim/blastRadius/blastRadius', './sim/blastRadius/monteCarlo', './sim/engine/run', './sim/kubelet/tokenManager']) {
    await assertRejected(importing(from), 'src/blastRadiusProtocol.ts', 'no-restricted-imports', W3);
  }
  for (const from of ['./vscode/blastRadiusPanel', './cluster/clusterClient', './webview/blastRadius/app']) {
    await assertRejected(importing(from), 'src/blastRadiusProtocol.ts', 'no-restricted-imports', 'it imports neither side');
  }
  await assertRejected("import * as vscode from 'vscode';\nexport { vscode };\n", 'src/blastRadiusProtocol.ts', 'no-restricted-imports', 'webview/ runs in the browser');
  for (const from of ['./protocol', './sim/blastRadius/blastRadiusResult', './sim/blastRadius/blastRadiusInput', './sim/blastRadius/blastRadiusText', './sim/whatIf']) {
    await assertClean(importing(from), 'src/blastRadiusProtocol.ts');
  }
  await assertRejected(importing('../../src/sim/blastRadius/blastRadius'), 'webview/blastRadius/example.ts', 'no-restricted-imports', W3);
  for (const from of ['../../src/sim/blastRadius/blastRadiusResult', '../../src/sim/blastRadius/blastRadiusText', '../../src/blastRadiusProtocol']) {
    await assertClean(importing(from), 'webview/blastRadius/example.ts');
  }
});

// ---- W4: src/plugins (running local plugin binaries) sits below src/vscode and src/cli, beside src/cluster ----

const pluginsMayNotImport = [
  '../vscode/clusterCommands',
  '../vscode',
  '../cli/main',
  '../cli',
  '../cluster/clusterClient',
  '../cluster',
  '../../webview/app',
  '../../src/vscode/clusterCommands',
  '../../../vscode/deep',
];

for (const from of pluginsMayNotImport) {
  test(`W4: src/plugins may not import '${from}'`, async () => {
    const file = from.startsWith('../../../') ? 'src/plugins/deep/er/example.ts' : 'src/plugins/example.ts';
    await assertRejected(importing(from), file, 'no-restricted-imports', W4);
  });
}

test('W4 holds for vscode, the cluster client, type imports, re-exports and import()', async () => {
  const file = 'src/plugins/example.ts';
  await assertRejected("import * as vscode from 'vscode';\nexport { vscode };\n", file, 'no-restricted-imports', 'no vscode');
  await assertRejected(importing('@kubernetes/client-node'), file, 'no-restricted-imports', 'Cluster access lives in src/cluster');
  await assertRejected(importingType('../vscode/clusterCommands'), file, 'no-restricted-imports', W4);
  await assertRejected(reExporting('../cli/main'), file, 'no-restricted-imports', W4);
  await assertRejected("export const m = import('../vscode/clusterCommands');\n", file, 'no-restricted-syntax', 'import statically');
});

test('W4: src/plugins may use src/sim, src/token, its own files and Node I/O', async () => {
  const file = 'src/plugins/example.ts';
  for (const from of ['../sim/credentialProvider/pluginIO', '../sim/credentialProvider/config', '../token/decode', './processRunner', 'node:child_process', 'node:fs/promises']) {
    await assertClean(importing(from), file);
  }
});

test('src/vscode (the thin layer) may import vscode and the cluster layer', async () => {
  assert.deepEqual(
    await ruleIds("import * as vscode from 'vscode';\nimport { loadKubeconfig } from '../cluster/kubeconfig';\nexport const x = [vscode, loadKubeconfig];\n", 'src/vscode/example.ts'),
    [],
  );
});

// ---- W5: src/manifest is pure and sits below src/cluster, src/vscode and src/cli ----

const W5 = 'src/manifest may import src/sim and src/token only';
const W6 = 'src/sim and src/token may not import src/manifest';

for (const [code, rule] of forbiddenInPure) {
  test(`src/manifest: lint rejects ${code}`, async () => {
    const ids = await ruleIds(`${code}\nexport {};\n`, 'src/manifest/example.ts');
    assert.ok(ids.includes(rule), `expected ${rule}, got ${JSON.stringify(ids)}`);
  });
}

const manifestMayNotImport: Array<[file: string, from: string]> = [
  ['src/manifest/example.ts', '../cluster/clusterClient'],
  ['src/manifest/example.ts', '../cluster'],
  ['src/manifest/example.ts', '../vscode/clusterTree'],
  ['src/manifest/example.ts', '../cli/tokensCommand'],
  ['src/manifest/example.ts', '../plugins/processRunner'],
  ['src/manifest/example.ts', '../protocol'],
  ['src/manifest/example.ts', '../../webview/app'],
  ['src/manifest/deep/example.ts', '../../cluster/demo/objects'],
];

for (const [file, from] of manifestMayNotImport) {
  test(`W5: ${file} may not import '${from}'`, async () => {
    await assertRejected(importing(from), file, 'no-restricted-imports', W5);
  });
}

test('W5 holds for vscode, Node I/O, the cluster client, type imports, re-exports and import()', async () => {
  const file = 'src/manifest/example.ts';
  await assertRejected("import * as vscode from 'vscode';\nexport { vscode };\n", file, 'no-restricted-imports', 'src/manifest is pure');
  await assertRejected(importing('node:fs'), file, 'no-restricted-imports', 'src/manifest is pure');
  await assertRejected(importing('@kubernetes/client-node'), file, 'no-restricted-imports', 'Cluster access lives in src/cluster');
  await assertRejected(importingType('../cluster/clusterClient'), file, 'no-restricted-imports', W5);
  await assertRejected(reExporting('../vscode/clusterTree'), file, 'no-restricted-imports', W5);
  await assertRejected("export const m = import('../cluster/clusterClient');\n", file, 'no-restricted-syntax', 'import statically');
  await assertRejected('export const t = Date.now();\n', file, 'no-restricted-properties', 'virtual clock');
});

test('W5: src/manifest may use src/sim, src/token, yaml and its own files', async () => {
  const file = 'src/manifest/example.ts';
  for (const from of ['../sim/apiserver/tokenIssuer', '../sim/units/sourcePosition', '../sim/blastRadius/blastRadiusInput', '../token/format', './podTokenSources', 'yaml']) {
    await assertClean(importing(from), file);
  }
});

test('W5: src/cluster, src/vscode and src/cli may import src/manifest', async () => {
  await assertClean(importing('../manifest/podTokenSources'), 'src/cluster/example.ts');
  await assertClean(importing('../../manifest/serviceAccountAdmission'), 'src/cluster/demo/example.ts');
  await assertClean(importing('../manifest/workloads'), 'src/vscode/example.ts');
  await assertClean(importing('../manifest/tokenRows'), 'src/cli/example.ts');
});

// ---- W6: src/sim and src/token never import src/manifest ----

const coreImportsOfManifest: Array<[file: string, from: string]> = [
  ['src/sim/example.ts', '../manifest/workloads'],
  ['src/sim/example.ts', '../manifest'],
  ['src/sim/scenario/example.ts', '../../manifest/podTokenSources'],
  ['src/sim/blastRadius/example.ts', '../../manifest/blastPods'],
  ['src/sim/kubelet/example.ts', '../../manifest/podTokenSources'],
  ['src/sim/apiserver/deep/example.ts', '../../../manifest/serviceAccountAdmission'],
  ['src/token/example.ts', '../manifest/tokenRows'],
  ['src/sim/scenario/example.ts', '../../../src/manifest/workloads'],
];

for (const [file, from] of coreImportsOfManifest) {
  test(`W6: ${file} may not import '${from}'`, async () => {
    await assertRejected(importing(from), file, 'no-restricted-imports', W6);
  });
}

test('W6 holds for type imports and re-exports, and keeps W1 and W2 in the model folders', async () => {
  await assertRejected(importingType('../../manifest/podTokenSources'), 'src/sim/scenario/example.ts', 'no-restricted-imports', W6);
  await assertRejected(reExporting('../manifest/workloads'), 'src/token/example.ts', 'no-restricted-imports', W6);
  await assertRejected(importing('../../protocol'), 'src/sim/kubelet/example.ts', 'no-restricted-imports', W1);
  await assertRejected(importing('../scenario/types'), 'src/sim/kubelet/example.ts', 'no-restricted-imports', W2);
  // A file of src/sim named like the layer is not the layer.
  await assertClean(importing('./manifestNotes'), 'src/sim/scenario/example.ts');
});
