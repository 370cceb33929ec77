/**
 * The manifest lenses' commands (also in the palette on a YAML editor): the tokens the API server
 * gives each pod of the manifest, a timeline of one pod's tokens, and Outage Blast Radius of one
 * workload or of the whole file.
 */
import * as vscode from 'vscode';
import { blastPodsOf } from '../manifest/blastPods';
import { formatManifestProblem } from '../manifest/manifestDocuments';
import type { PodTokens } from '../manifest/tokenRows';
import { manifestTokensText, podTokensText } from '../manifest/tokensText';
import { readManifest, workloadTitle } from '../manifest/workloads';
import { refreshWindow } from '../sim/kubelet/tokenManager';
import { podUid } from '../sim/kubelet/podUid';
import { podScenario } from '../sim/scenario/podScenario';
import type { BlastRadiusPanels } from './blastRadiusPanel';
import { simulationDefaults } from './configuration';
import type { ManifestLenses } from './manifestLenses';
import { registerCommands } from './registerCommand';
import type { ReportDocuments } from './reportDocuments';
import type { SimulationService } from './simulationService';

interface Deps {
  lenses: ManifestLenses;
  reports: ReportDocuments;
  simulations: SimulationService;
  panels: BlastRadiusPanels;
  log: vscode.LogOutputChannel;
}

/** The kubelet's default --sync-frequency. */
const SYNC_FREQUENCY_MS = 60_000;

interface Manifest {
  doc: vscode.TextDocument;
  pods: PodTokens[];
  name: string;
}

/** The manifest of `uri` (else the active editor's), or an error that says why it is none. */
async function manifestOf(deps: Deps, uri: vscode.Uri | undefined): Promise<Manifest> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) throw new Error('open a Kubernetes manifest (YAML) first');
  const name = vscode.workspace.asRelativePath(doc.uri);
  const pods = deps.lenses.pods(doc);
  if (pods) return { doc, pods, name };
  const read = readManifest(doc.getText());
  if (!read.ok) throw new Error(`${name} is not a manifest that can be read: ${read.errors.slice(0, 3).map((p) => formatManifestProblem(name, p)).join('; ')}`);
  throw new Error(`${name} has no Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob`);
}

/** One workload: the one asked for, else the only one with tokens, else the user picks. */
async function pickPod(m: Manifest, index: number | undefined, purpose: string): Promise<PodTokens | undefined> {
  if (index !== undefined) {
    const p = m.pods[index];
    if (!p) throw new Error(`${m.name} no longer has workload ${index + 1} (it has ${m.pods.length}): the file changed`);
    return p;
  }
  const candidates = m.pods.filter((p) => p.sources.length > 0);
  if (candidates.length === 0) throw new Error(`no pod of ${m.name} gets a projected service-account token`);
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((p) => ({ label: workloadTitle(p.workload), description: `${p.sources.length} projected token(s)`, p })),
    { title: `${purpose}: which workload of ${m.name}?` },
  );
  return picked?.p;
}

export function registerManifestCommands(deps: Deps): vscode.Disposable[] {
  return registerCommands(deps.log, {
    'kubeTokenLens.manifest.showTokens': async (uri?: vscode.Uri, index?: number) => {
      const m = await manifestOf(deps, uri);
      const read = readManifest(m.doc.getText());
      const text = index !== undefined && m.pods[index] ? `${podTokensText(m.pods[index]).join('\n')}\n` : read.ok ? manifestTokensText(m.pods, read, m.name) : '';
      const title = index !== undefined && m.pods[index] ? `Tokens of ${workloadTitle(m.pods[index].workload)}` : `Tokens of ${m.name}`;
      await deps.reports.show(title, `# ${title}\n\nThe service-account tokens the API server gives these pods (ServiceAccount admission applied, default API-server flags).\n\n\`\`\`text\n${text}\`\`\`\n`);
    },
    'kubeTokenLens.manifest.simulateTokens': async (uri?: vscode.Uri, index?: number) => {
      const m = await manifestOf(deps, uri);
      const p = await pickPod(m, index, 'Simulate Tokens');
      if (!p) return;
      const w = p.workload;
      const now = Date.now();
      const defaults = simulationDefaults();
      // A Pod's tokens date from its start; a template's pods would get theirs when created: now.
      const start = w.startTimeMs !== undefined && w.startTimeMs <= now ? w.startTimeMs : now;
      // Two refresh cycles of the longest-lived token at least, so what happens to it shows.
      const longest = Math.max(...p.sources.map(({ issuance }) => {
        const win = refreshWindow(issuance.issuedSeconds, issuance.issuedSeconds * 1000);
        return win.latest === null ? 0 : win.latest;
      }));
      const podName = w.template ? `${w.name}-0` : w.name;
      const scenario = podScenario({
        name: `${workloadTitle(w)}${w.template ? ' (one pod of the template)' : ''}`,
        start,
        horizonMs: Math.max(defaults.horizonMs, 2 * longest + 600_000, now - start + 3_600_000),
        seed: defaults.seed,
        syncFrequencyMs: SYNC_FREQUENCY_MS,
        pod: { name: podName, namespace: w.namespace, serviceAccount: p.admission.serviceAccount, uid: w.podMetadata.uid ?? podUid(w.namespace, podName) },
        tokens: p.sources.map(({ source: s }) => ({
          path: `${s.volume}/${s.path}`,
          ...(s.audience !== undefined ? { audiences: [s.audience] } : {}),
          ...(s.expirationSecondsDefaulted ? {} : { expirationSeconds: s.expirationSeconds }),
        })),
      });
      await deps.simulations.simulate({ title: scenario.name ?? w.name, scenario, source: { kind: 'token', description: `${m.name}: ${workloadTitle(w)}` }, anchorNow: now });
    },
    'kubeTokenLens.manifest.blastRadius': async (uri?: vscode.Uri, index?: number) => {
      const m = await manifestOf(deps, uri);
      const chosen = index === undefined ? m.pods : [await pickPod(m, index, 'Outage Blast Radius')].filter((p): p is PodTokens => p !== undefined);
      if (chosen.length === 0) return;
      const scope = index === undefined ? m.name : `${m.name}: ${workloadTitle((chosen[0] as PodTokens).workload)}`;
      await deps.panels.analyseAndShow({ scope, pods: blastPodsOf(chosen) });
    },
  });
}
