// Reads the hand-written kubeconfigs of test/fixtures/kubeconfig and lints them with a fake PATH.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKubeconfig, type KubeconfigDocument } from '../../../src/sim/execAuth/kubeconfigDocument';
import type { KubeconfigFinding } from '../../../src/sim/execAuth/kubeconfigFinding';
import { lintKubeconfigs, type CommandLookup, type KubeconfigLint } from '../../../src/sim/execAuth/kubeconfigLint';

export const FIXTURES = 'test/fixtures/kubeconfig';

/** The plugins the fake PATH holds. */
export const ON_PATH = ['aws', 'gke-gcloud-auth-plugin', 'kubelogin', 'example-plugin'];

export function onFakePath(command: string): CommandLookup {
  return ON_PATH.includes(command) ? { found: true, path: `/usr/local/bin/${command}` } : { found: false };
}

export function fixture(name: string): KubeconfigDocument {
  const file = join(FIXTURES, name);
  return parseKubeconfig(readFileSync(file, 'utf8'), file);
}

export function lintFixtures(...names: string[]): KubeconfigLint {
  return lintKubeconfigs(names.map(fixture), { resolve: onFakePath, pathOf: 'extensionHost' });
}

/** "line:col code" per finding: compact enough to compare whole lists. */
export function brief(findings: readonly KubeconfigFinding[]): string[] {
  return findings.map((f) => `${f.file.slice(FIXTURES.length + 1)}:${f.range.line}:${f.range.column} ${f.severity} ${f.code}`);
}
