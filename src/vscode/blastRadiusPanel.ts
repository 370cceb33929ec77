/**
 * The Outage Blast Radius panel: the analysis's result in its webview (dist/blastRadius.js), and the
 * page's requests: open one pod's timeline through the outage, ask for another outage and re-run the
 * same pods, export the result. The analysis itself runs in the simulation worker (runBlastRadius).
 */
import * as vscode from 'vscode';
import { blastRadiusHtml, parseBlastRadiusPageMessage, type BlastRadiusHostMessage, type BlastRadiusPageMessage } from '../blastRadiusProtocol';
import { blastRadiusCsv, outageText } from '../sim/blastRadius/blastRadiusText';
import { blastPodScenario } from '../sim/blastRadius/blastPodScenario';
import type { BlastPod, BlastRadiusInput, OutageWindow } from '../sim/blastRadius/blastRadiusInput';
import type { BlastRadiusResult } from '../sim/blastRadius/blastRadiusResult';
import { KUBELET_DEFAULTS } from '../sim/kubelet/section';
import { API_SERVER_DEFAULTS } from '../sim/apiserver/section';
import { parseDuration } from '../sim/units/duration';
import { getSetting, simulationDefaults } from './configuration';
import { DisposableBase } from './disposable';
import { askOutage } from './outageQuestion';
import { saveExport } from './saveFile';
import { runWorkerJob } from './simulationRunner';
import type { SimulationService } from './simulationService';
import { webviewPanelOptions, WebviewHost, type PageMessageHandlers, type WebviewPageKind } from './webviewHost';

export const BLAST_RADIUS_VIEW_TYPE = 'kubeTokenLens.blastRadius';

const BLAST_RADIUS_PAGE: WebviewPageKind<BlastRadiusPageMessage> = {
  name: 'blast radius',
  script: 'blastRadius.js',
  style: 'blastRadius.css',
  icon: 'token-lens.svg',
  html: blastRadiusHtml,
  parse: parseBlastRadiusPageMessage,
};

/** The kubelet's default --sync-frequency. */
const SYNC_FREQUENCY_MS = (() => {
  const d = parseDuration(KUBELET_DEFAULTS.syncFrequency);
  return d.ok ? d.ms : 60_000;
})();

/** What one analysis is about: the pods of a scope, in words for the panel. */
export interface BlastRadiusSubject {
  /** e.g. "Demo cluster (built-in), namespace shop" or "deploy.yaml". */
  scope: string;
  pods: BlastPod[];
}

/** The analysis's input for these pods with the default kubelet and API-server settings. */
export function blastRadiusInput(pods: BlastPod[], outage: OutageWindow, runs: number, seed: number): BlastRadiusInput {
  return {
    outage,
    runs,
    seed,
    kubelet: { syncFrequencyMs: SYNC_FREQUENCY_MS, version: KUBELET_DEFAULTS.version },
    apiServer: {
      audiences: [API_SERVER_DEFAULTS.issuer],
      maxTokenExpirationSeconds: API_SERVER_DEFAULTS.maxTokenExpiration,
      extendTokenExpiration: API_SERVER_DEFAULTS.extendTokenExpiration,
    },
    pods,
  };
}

/** One panel: a subject, its latest input and result. */
export class BlastRadiusPanel extends DisposableBase {
  private readonly host: WebviewHost<BlastRadiusPageMessage, BlastRadiusHostMessage>;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly deps: { log: vscode.LogOutputChannel; simulations: SimulationService; analyse: (input: BlastRadiusInput, scope: string) => Promise<BlastRadiusResult> },
    private readonly subject: BlastRadiusSubject,
    private input: BlastRadiusInput,
    private result: BlastRadiusResult,
    onDisposed: (p: BlastRadiusPanel) => void,
  ) {
    super();
    this.host = this.own(
      new WebviewHost<BlastRadiusPageMessage, BlastRadiusHostMessage>({
        panel,
        extensionUri,
        log: deps.log,
        kind: BLAST_RADIUS_PAGE,
        onReady: () => [this.showMessage()],
        handlers: this.handlers(),
        errorMessage: (message) => ({ type: 'error', message }),
        onDisposed: () => {
          this.dispose();
          onDisposed(this);
        },
      }),
    );
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** For tests: what the panel shows now. */
  get currentResult(): BlastRadiusResult {
    return this.result;
  }

  /** For tests: play the page's part (the message goes through the same validation). */
  receive(raw: unknown): Promise<void> {
    return this.host.receive(raw);
  }

  private title(): string {
    return `Outage Blast Radius: ${this.subject.scope}`;
  }

  private showMessage(): BlastRadiusHostMessage {
    // The page states the outage itself (start, end, length): the scope line only says what was analysed.
    return { type: 'showResult', title: this.title(), scope: this.subject.scope, result: this.result };
  }

  private handlers(): PageMessageHandlers<BlastRadiusPageMessage> {
    return {
      openTimeline: async (m) => {
        const pod = this.input.pods[m.podIndex];
        if (pod === undefined || m.tokenIndex >= pod.tokens.length) throw new Error(`the page asked for pod ${m.podIndex} token ${m.tokenIndex}, which this result does not have`);
        const scenario = blastPodScenario(this.input, m.podIndex);
        const title = `${pod.namespace}/${pod.name} through the outage`;
        await this.deps.simulations.simulate({
          title,
          scenario,
          source: { kind: 'token', description: `${this.subject.scope}: ${pod.namespace}/${pod.name}, API server down ${outageText(this.input.outage)} (one possible history)` },
          anchorNow: this.input.outage.startMs,
        });
      },
      changeOutage: async () => {
        const outage = await askOutage(() => Date.now(), this.input.outage);
        if (!outage) return;
        const input = { ...this.input, outage };
        this.host.post({ type: 'busy', on: true, message: `Sampling ${input.runs} histories of ${input.pods.length} pods…` });
        try {
          const result = await this.deps.analyse(input, this.subject.scope);
          this.input = input;
          this.result = result;
          this.host.post(this.showMessage());
        } finally {
          this.host.post({ type: 'busy', on: false });
        }
      },
      export: async (m) => {
        const data = m.format === 'csv' ? blastRadiusCsv(this.result) : `${JSON.stringify(this.result, null, 2)}\n`;
        await saveExport(this.deps.log, { panel: 'blast radius', title: this.title(), what: 'blast radius', extensions: [m.format], data });
      },
      reportError: (m) => this.deps.log.warn(`blast-radius webview: ${m.message}`),
    };
  }
}

/** Runs analyses (in the worker, with progress) and opens their panels. */
export class BlastRadiusPanels extends DisposableBase {
  private readonly panels = new Set<BlastRadiusPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly simulations: SimulationService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
  }

  /** For tests: the panels open now, oldest first. */
  get open(): readonly BlastRadiusPanel[] {
    return [...this.panels];
  }

  /** Asks for the outage (unless given), analyses the subject's pods and shows the result. */
  async analyseAndShow(subject: BlastRadiusSubject, outage?: OutageWindow): Promise<BlastRadiusPanel | undefined> {
    if (subject.pods.length === 0) {
      void vscode.window.showWarningMessage(`Token Lens: no pod of ${subject.scope} holds a projected service-account token, so an API-server outage expires none.`);
      return undefined;
    }
    const chosen = outage ?? (await askOutage(() => Date.now()));
    if (!chosen) return undefined;
    const input = blastRadiusInput(subject.pods, chosen, getSetting('blastRadius.runs'), simulationDefaults().seed);
    const result = await this.analyse(input, subject.scope);
    const panel = vscode.window.createWebviewPanel(BLAST_RADIUS_VIEW_TYPE, `Outage Blast Radius: ${subject.scope}`, vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri));
    const p = new BlastRadiusPanel(panel, this.extensionUri, { log: this.log, simulations: this.simulations, analyse: (i, s) => this.analyse(i, s) }, subject, input, result, (closed) => this.panels.delete(closed));
    this.panels.add(p);
    return p;
  }

  /** The analysis in the worker, with a cancellable progress notification. */
  async analyse(input: BlastRadiusInput, scope: string): Promise<BlastRadiusResult> {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Outage Blast Radius: sampling ${input.runs} histories of ${input.pods.length.toLocaleString('en-US')} pods (${scope})`, cancellable: true },
      async (progress, cancel) => {
        const { result, tookMs } = await runWorkerJob(this.extensionUri, { blastRadius: input }, progress, cancel, 'blast-radius analysis', (reply) =>
          reply.kind === 'blastRadius' ? { result: reply.result, tookMs: reply.tookMs } : undefined,
        );
        this.log.info(`blast radius of ${scope}: ${input.pods.length} pods × ${input.runs} runs in ${tookMs} ms, ${result.affected.length} tokens expire in at least one run`);
        return result;
      },
    );
  }

  protected override onDispose(): void {
    for (const p of [...this.panels]) p.dispose();
    this.panels.clear();
  }
}
