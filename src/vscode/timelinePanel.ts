import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  parseWebviewMessage,
  parseWebviewState,
  timelineHtml,
  type HostMessage,
  type WebviewMessage,
} from '../protocol';
import { applyWhatIf, whatIfFromScenario, WHAT_IF_CONTRACT } from '../sim/scenario/whatIf';
import { whatIfProblemsText, type WhatIfValues } from '../sim/whatIf';
import { scenarioToYaml } from '../sim/scenario/serialize';
import { traceToCsv } from '../sim/traceCsv';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import type { SimulationRunner } from './simulationRunner';

export const TIMELINE_VIEW_TYPE = 'kubeTokenLens.timeline';
const BASE_SCENARIOS_KEY = 'kubeTokenLens.timeline.baseScenarios';
const KEEP_BASE_SCENARIOS = 10;

interface PanelContent {
  title: string;
  /** The scenario the what-if form edits (its values are the form's starting point). */
  base: Scenario;
  /** The what-if values of `trace` (checked against WHAT_IF_CONTRACT). */
  values: WhatIfValues;
  trace: Trace;
  anchorNow?: number;
}

/**
 * One timeline webview panel. The page asks for its content with `ready` (so no message is lost
 * however slowly it loads), and every message from it is validated before use.
 */
export class TimelinePanel implements vscode.Disposable {
  private content: PanelContent | undefined;
  /** Shown when the page says it is ready and there is nothing else to show (e.g. a failed restore). */
  private pendingError: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly runner: SimulationRunner,
    private readonly log: vscode.LogOutputChannel,
    private readonly remember: (title: string, base: Scenario) => void,
    private readonly onDisposed: (p: TimelinePanel) => void,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'token-lens.svg');
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  show(content: PanelContent): void {
    this.content = content;
    this.panel.title = content.title;
    this.remember(content.title, content.base);
    this.post({ type: 'showTrace', title: content.title, trace: content.trace, whatIf: { ...WHAT_IF_CONTRACT, values: content.values }, ...(content.anchorNow !== undefined ? { anchorNow: content.anchorNow } : {}) });
    this.panel.reveal(undefined, true);
  }

  /** Says in the panel why there is no timeline (sent once the page is ready, so it is not lost). */
  showError(message: string): void {
    this.pendingError = message;
    this.post({ type: 'error', message });
  }

  /** For tests: the trace shown now. */
  get currentTrace(): Trace | undefined {
    return this.content?.trace;
  }

  private html(): string {
    const webview = this.panel.webview;
    return timelineHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'timeline.css')).toString(),
      title: this.panel.title,
    });
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`timeline: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.log.error(`timeline: ${parsed.message.type} failed: ${text}`);
      this.post({ type: 'error', message: text });
      void vscode.window.showErrorMessage(`Token Lens: ${text}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (this.content) this.show(this.content);
        else if (this.pendingError !== undefined) this.post({ type: 'error', message: this.pendingError });
        return;
      case 'rerun': {
        const content = this.content;
        if (!content) return;
        this.post({ type: 'busy', on: true });
        try {
          // Never trust the page: the values are re-checked against the models' fields and checks.
          const applied = applyWhatIf(content.base, message.values);
          if (!applied.ok) throw new Error(`what-if values rejected: ${whatIfProblemsText(applied.problems)}`);
          const run = await this.runner.run(applied.scenario, content.title, { kind: 'whatIf' });
          this.content = { ...content, values: applied.values, trace: run.trace };
          this.post({ type: 'showTrace', title: content.title, trace: run.trace, whatIf: { ...WHAT_IF_CONTRACT, values: applied.values } });
        } finally {
          this.post({ type: 'busy', on: false });
        }
        return;
      }
      case 'saveScenario': {
        const content = this.content;
        if (!content) return;
        const applied = applyWhatIf(content.base, message.values);
        if (!applied.ok) throw new Error(`what-if values rejected: ${whatIfProblemsText(applied.problems)}`);
        await this.saveFile(scenarioToYaml(applied.scenario), 'scenario', ['yaml']);
        return;
      }
      case 'export': {
        const trace = this.content?.trace;
        if (!trace) return;
        if (message.format === 'csv') await this.saveFile(traceToCsv(trace), 'trace', ['csv']);
        else await this.saveFile(`${JSON.stringify(trace, null, 2)}\n`, 'trace', ['json']);
        return;
      }
      case 'exportPng': {
        const data = Buffer.from(message.dataUrl.slice(message.dataUrl.indexOf(',') + 1), 'base64');
        await this.saveFile(data, 'timeline', ['png']);
        return;
      }
      case 'reportError':
        this.log.warn(`timeline webview: ${message.message}`);
        return;
      case 'selectEvent':
        this.log.debug(`timeline: selected ${message.eventType} on ${message.lane} at ${new Date(message.t).toISOString()}`);
        return;
    }
  }

  private async saveFile(data: string | Uint8Array, what: string, extensions: string[]): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const safeTitle = (this.content?.title ?? what).replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
    const name = `${safeTitle || what}.${extensions[0]}`;
    const target = await vscode.window.showSaveDialog({
      title: `Save ${what}`,
      filters: { [what]: extensions },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`timeline: saved ${what} to ${target.fsPath}`);
    const open = await vscode.window.showInformationMessage(`Saved ${what} to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
    if (open) await vscode.commands.executeCommand('vscode.open', target);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
    this.onDisposed(this);
  }
}

/** Opens timeline panels and restores them after a reload (WebviewPanelSerializer). */
export class TimelinePanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Set<TimelinePanel>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runner: SimulationRunner,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, this);
  }

  /** Opens a new panel showing a trace of `base`. */
  open(title: string, base: Scenario, trace: Trace, anchorNow?: number): TimelinePanel {
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    });
    const timeline = this.adopt(panel);
    timeline.show({ title, base, values: whatIfFromScenario(base), trace, ...(anchorNow !== undefined ? { anchorNow } : {}) });
    return timeline;
  }

  get active(): TimelinePanel | undefined {
    return [...this.panels].at(-1);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, rawState: unknown): Promise<void> {
    const timeline = this.adopt(panel);
    const state = parseWebviewState(rawState);
    const base = state ? this.rememberedBase(state.title) : undefined;
    if (!state || !base) {
      // Nothing to restore from: say so in the panel rather than leaving it blank.
      timeline.showError('This timeline could not be restored: run the simulation again (Token Lens: Simulate Refresh).');
      return;
    }
    // The saved values are re-checked like any from the page; values that no longer fit (e.g. saved by
    // an older version) fall back to the base scenario rather than failing the restore.
    const applied = state.values ? applyWhatIf(base, state.values) : undefined;
    if (applied && !applied.ok) this.log.warn(`timeline: restored what-if values ignored: ${whatIfProblemsText(applied.problems)}`);
    const scenario = applied?.ok ? applied.scenario : base;
    const values = applied?.ok ? applied.values : whatIfFromScenario(base);
    const run = await this.runner.run(scenario, state.title, { kind: 'restore' });
    timeline.show({ title: state.title, base, values, trace: run.trace, ...(state.anchorNow !== undefined ? { anchorNow: state.anchorNow } : {}) });
  }

  private adopt(panel: vscode.WebviewPanel): TimelinePanel {
    const timeline = new TimelinePanel(
      panel,
      this.context.extensionUri,
      this.runner,
      this.log,
      (title, base) => this.rememberBase(title, base),
      (p) => this.panels.delete(p),
    );
    this.panels.add(timeline);
    return timeline;
  }

  private rememberedBase(title: string): Scenario | undefined {
    const stored = this.context.workspaceState.get<Array<[string, Scenario]>>(BASE_SCENARIOS_KEY, []);
    return stored.find(([t]) => t === title)?.[1];
  }

  private rememberBase(title: string, base: Scenario): void {
    const stored = this.context.workspaceState.get<Array<[string, Scenario]>>(BASE_SCENARIOS_KEY, []).filter(([t]) => t !== title);
    void this.context.workspaceState.update(BASE_SCENARIOS_KEY, [[title, base], ...stored].slice(0, KEEP_BASE_SCENARIOS));
  }

  dispose(): void {
    for (const p of [...this.panels]) p.dispose();
    this.registration.dispose();
  }
}
