/**
 * CodeLenses on Kubernetes manifests in the editor: on every Pod or workload (its pod template) the
 * count of projected service-account tokens the API server gives it (admission applied), Simulate
 * Tokens and Outage Blast Radius…; on a file with several, one Outage Blast Radius for all of them.
 * A manifest that does not parse gets no lenses (it is not ours to lint).
 */
import * as vscode from 'vscode';
import { podTokensOf, type PodTokens } from '../manifest/tokenRows';
import { readManifest, workloadTitle } from '../manifest/workloads';
import { DisposableBase } from './disposable';

/** The workload kinds a lens is offered for, by their `kind:` line (a cheap test before parsing). */
const WORKLOAD_KIND_LINE = /^\s*kind:\s*["']?(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|List)["']?\s*$/m;

export interface ManifestPods {
  version: number;
  pods: PodTokens[];
}

/** Reads a YAML document as a manifest; undefined when it is none or does not parse. */
export function manifestPodsOf(doc: vscode.TextDocument): PodTokens[] | undefined {
  if (doc.languageId !== 'yaml') return undefined;
  const text = doc.getText();
  if (!WORKLOAD_KIND_LINE.test(text)) return undefined;
  const read = readManifest(text);
  if (!read.ok || read.workloads.length === 0) return undefined;
  return podTokensOf(read);
}

export class ManifestLenses extends DisposableBase implements vscode.CodeLensProvider {
  private readonly cache = new Map<string, ManifestPods>();

  constructor() {
    super();
    this.own(vscode.languages.registerCodeLensProvider({ language: 'yaml' }, this));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
  }

  /** The document's pods, parsed once per version. */
  pods(doc: vscode.TextDocument): PodTokens[] | undefined {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.pods;
    const pods = manifestPodsOf(doc);
    if (pods) this.cache.set(key, { version: doc.version, pods });
    else this.cache.delete(key);
    return pods;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const pods = this.pods(doc);
    if (!pods) return [];
    const lenses: vscode.CodeLens[] = [];
    const withTokens = pods.filter((p) => p.sources.length > 0);
    if (withTokens.length > 1) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          command: 'kubeTokenLens.manifest.blastRadius',
          title: `$(flame) Outage Blast Radius of all ${withTokens.length} workloads…`,
          arguments: [doc.uri],
        }),
      );
    }
    pods.forEach((p, i) => {
      const line = Math.max(0, p.workload.range.line - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const n = p.sources.length;
      const added = p.sources.filter((s) => s.source.addedByAdmission).length;
      const title = `$(key) Tokens: ${n} projected${added > 0 ? ` (${added} added by admission)` : ''}${p.legacySecrets.length > 0 ? ` + ${p.legacySecrets.length} legacy Secret` : ''}`;
      lenses.push(
        new vscode.CodeLens(range, {
          command: 'kubeTokenLens.manifest.showTokens',
          title,
          tooltip: `The service-account tokens the API server gives ${workloadTitle(p.workload)}`,
          arguments: [doc.uri, i],
        }),
      );
      if (n === 0) return;
      lenses.push(
        new vscode.CodeLens(range, { command: 'kubeTokenLens.manifest.simulateTokens', title: '$(graph-line) Simulate Tokens', arguments: [doc.uri, i] }),
        new vscode.CodeLens(range, { command: 'kubeTokenLens.manifest.blastRadius', title: '$(flame) Outage Blast Radius…', arguments: [doc.uri, i] }),
      );
    });
    return lenses;
  }
}
