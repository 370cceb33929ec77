import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  parseWebviewState,
  timelineHtml,
  type ComparisonData,
  type HostMessage,
  type WebviewMessage,
  type RestoredWebviewState,
} from '../protocol';
import { applyWhatIf, whatIfContractFor, whatIfFromScenario } from '../sim/scenario/whatIf';
import { whatIfProblemsText, type WhatIfValues } from '../sim/whatIf';
import { scenarioToYaml } from '../sim/scenario/serialize';
import { traceToCsv } from '../sim/traceCsv';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import { traceToColumns } from '../traceColumns';
import { DisposableBase } from './disposable';
import { describeWhatIfChanges, whatIfRunTitle } from './runDescriptions';
import { saveExport } from './saveFile';
import type { SimulationRunner } from './simulationRunner';
import type { RunSource, SimulationRun } from './simulationRuns';
import { panelSerializer, webviewPanelOptions, WebviewHost, type PageMessageHandlers, type WebviewPageKind } from './webviewHost';

export const TIMELINE_VIEW_TYPE = 'kubeTokenLens.timeline';
const BASE_SCENARIOS_KEY = 'kubeTokenLens.timeline.baseScenarios';
const KEEP_BASE_SCENARIOS = 10;

/** The timeline page: dist/webview.js with media/timeline.css, speaking WebviewMessage / HostMessage. */
const TIMELINE_PAGE: WebviewPageKind<WebviewMessage> = {
  name: 'timeline',
  script: 'webview.js',
  style: 'timeline.css',
  icon: 'token-lens.svg',
  html: timelineHtml,
  parse: parseWebviewMessage,
};

interface PanelContent {
  /** The run shown: its id in the Simulations view, and its title there. */
  runId: number;
  title: string;
  /** The baseline the what-if form edits: its run, title, source and scenario (its values are the form's starting point). */
  baseRunId: number;
  baseTitle: string;
  source: RunSource;
  base: Scenario;
  /** The what-if values of `trace` (checked against the form of `base`, whatIfContractFor). */
  values: WhatIfValues;
  trace: Trace;
  anchorNow?: number;
  notice?: string;
  /** Set while the panel is one side of a comparison (Compare With…). */
  comparison?: ComparisonData;
}

/** A panel's content for a run; a what-if run keeps its baseline's scenario as the form's base. */
function contentOf(run: SimulationRun, baseline: { base: Scenario; values?: WhatIfValues } = { base: run.scenario }): PanelContent {
  return {
    runId: run.id,
    title: run.title,
    baseRunId: run.whatIf?.baseRunId ?? run.id,
    baseTitle: run.whatIf?.baseTitle ?? run.title,
    source: run.source,
    base: baseline.base,
    values: baseline.values ?? whatIfFromScenario(baseline.base),
    trace: run.trace,
    ...(run.anchorNow !== undefined ? { anchorNow: run.anchorNow } : {}),
    ...(run.notice !== undefined ? { notice: run.notice } : {}),
  };
}

/** One timeline webview panel: its content, and one handler per message the page sends. */
export class TimelinePanel extends DisposableBase {
  private content: PanelContent | undefined;
  /** Shown when the page says it is ready and there is nothing else to show (e.g. a failed restore). */
  private pendingError: string | undefined;
  private readonly host: WebviewHost<WebviewMessage, HostMessage>;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runner: SimulationRunner,
    private readonly log: vscode.LogOutputChannel,
    private readonly remember: (title: string, base: Scenario) => void,
    onDisposed: (p: TimelinePanel) => void,
  ) {
    super();
    this.host = this.own(
      new WebviewHost<WebviewMessage, HostMessage>({
        panel,
        extensionUri,
        log,
        kind: TIMELINE_PAGE,
        onReady: () => this.onReady(),
        handlers: this.messageHandlers(),
        errorMessage: (message) => ({ type: 'error', message }),
        onDisposed: () => {
          this.dispose();
          onDisposed(this);
        },
      }),
    );
  }

  show(content: PanelContent): void {
    this.content = content;
    this.host.panel.title = content.title;
    this.remember(content.title, content.base);
    this.host.post(this.showTraceMessage(content));
    this.host.panel.reveal(undefined, true);
  }

  /** Brings the panel to the front (in `column` when given), keeping what it shows. */
  reveal(column?: vscode.ViewColumn): void {
    this.host.panel.reveal(column, false);
  }

  /** Shows (or, undefined, drops) the comparison strip above the timeline. */
  setComparison(comparison: ComparisonData | undefined): void {
    const content = this.content;
    if (!content) return;
    const { comparison: _dropped, ...rest } = content;
    this.content = comparison ? { ...rest, comparison } : rest;
    this.host.post(this.showTraceMessage(this.content));
  }

  /** What the panel shows, to show it in another panel (moving it to another editor group). */
  get shownContent(): PanelContent | undefined {
    return this.content;
  }

  /** The id (in the Simulations view) of the run shown now. */
  get runId(): number | undefined {
    return this.content?.runId;
  }

  /** For tests: the comparison shown now. */
  get currentComparison(): ComparisonData | undefined {
    return this.content?.comparison;
  }

  /** For tests: what the panel says about how the run was set up. */
  get currentNotice(): string | undefined {
    return this.content?.notice;
  }

  /** For tests: the title shown now. */
  get currentTitle(): string | undefined {
    return this.content?.title;
  }

  /** The view column the panel is in. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.host.panel.viewColumn;
  }

  /** Says in the panel why there is no timeline (sent once the page is ready, so it is not lost). */
  showError(message: string): void {
    this.pendingError = message;
    this.host.post({ type: 'error', message });
  }

  /** For tests: what the panel says instead of a timeline (a failed restore). */
  get errorShown(): string | undefined {
    return this.content ? undefined : this.pendingError;
  }

  /** For tests: a message as if the page sent it (the same validation, guard and handlers). */
  deliver(raw: unknown): Promise<void> {
    return this.host.receive(raw);
  }

  /** For tests: the what-if values of the trace shown now. */
  get currentValues(): WhatIfValues | undefined {
    return this.content?.values;
  }

  /** For tests: the trace shown now. */
  get currentTrace(): Trace | undefined {
    return this.content?.trace;
  }

  private showTraceMessage(content: PanelContent): HostMessage {
    return {
      type: 'showTrace',
      title: content.title,
      trace: traceToColumns(content.trace),
      whatIf: { ...whatIfContractFor(content.base), values: content.values },
      ...(content.anchorNow !== undefined ? { anchorNow: content.anchorNow } : {}),
      ...(content.notice !== undefined ? { notice: content.notice } : {}),
      ...(content.comparison !== undefined ? { comparison: content.comparison } : {}),
    };
  }

  private onReady(): HostMessage[] {
    if (this.content) return [this.showTraceMessage(this.content)];
    if (this.pendingError !== undefined) return [{ type: 'error', message: this.pendingError }];
    return [];
  }

  /** One handler per message the page sends: a new WebviewMessage type does not compile until it is here. */
  private messageHandlers(): PageMessageHandlers<WebviewMessage> {
    return {
      rerun: async (message) => {
        const content = this.content;
        if (!content) return;
        this.host.post({ type: 'busy', on: true });
        try {
          // Never trust the page: the values are re-checked against the models' fields and checks.
          const applied = applyWhatIf(content.base, message.values);
          if (!applied.ok) throw new Error(`what-if values rejected: ${whatIfProblemsText(applied.problems)}`);
          // Every re-run is a run of its own in the Simulations view, named by what differs from the baseline.
          const changes = describeWhatIfChanges(whatIfContractFor(content.base).fields, whatIfFromScenario(content.base), applied.values);
          const title = changes.length > 0 ? whatIfRunTitle(content.baseTitle, changes) : content.baseTitle;
          const run = await this.runner.run(applied.scenario, title, content.source, {
            ...(changes.length > 0 ? { whatIf: { baseRunId: content.baseRunId, baseTitle: content.baseTitle, changes } } : {}),
            ...(content.anchorNow !== undefined ? { anchorNow: content.anchorNow } : {}),
            ...(content.notice !== undefined ? { notice: content.notice } : {}),
          });
          // The baseline stays the form's base; a comparison no longer holds for the new trace.
          this.show({ ...contentOf(run, { base: content.base, values: applied.values }), baseRunId: content.baseRunId, baseTitle: content.baseTitle });
        } finally {
          this.host.post({ type: 'busy', on: false });
        }
      },
      saveScenario: async (message) => {
        const content = this.content;
        if (!content) return;
        const applied = applyWhatIf(content.base, message.values);
        if (!applied.ok) throw new Error(`what-if values rejected: ${whatIfProblemsText(applied.problems)}`);
        await this.saveFile(scenarioToYaml(applied.scenario), 'scenario', ['yaml']);
      },
      export: async (message) => {
        const trace = this.content?.trace;
        if (!trace) return;
        if (message.format === 'csv') await this.saveFile(traceToCsv(trace), 'trace', ['csv']);
        else await this.saveFile(`${JSON.stringify(trace, null, 2)}\n`, 'trace', ['json']);
      },
      exportPng: async (message) => {
        const data = Buffer.from(message.dataUrl.slice(message.dataUrl.indexOf(',') + 1), 'base64');
        await this.saveFile(data, 'timeline', ['png']);
      },
      reportError: (message) => this.log.warn(`timeline webview: ${message.message}`),
      selectEvent: (message) => this.log.debug(`timeline: selected ${message.eventType} on ${message.lane} at ${new Date(message.t).toISOString()}`),
    };
  }

  private saveFile(data: string | Uint8Array, what: string, extensions: string[]): Promise<void> {
    return saveExport(this.log, { panel: 'timeline', title: this.content?.title, what, extensions, data });
  }
}

/** Opens timeline panels and restores them after a reload. */
export class TimelinePanels extends DisposableBase {
  private readonly panels = new Set<TimelinePanel>();
  /** What VS Code calls to restore a timeline after a reload (guarded; exposed for the integration tests). */
  readonly serializer: vscode.WebviewPanelSerializer;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runner: SimulationRunner,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.serializer = panelSerializer<RestoredWebviewState, TimelinePanel>({
      viewType: TIMELINE_VIEW_TYPE,
      log,
      parseState: parseWebviewState,
      adopt: (panel) => this.adopt(panel),
      restore: (timeline, state) => this.restore(timeline, state),
      onFailed: (timeline, text) => timeline.showError(text),
    });
    this.own(vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, this.serializer));
  }

  /**
   * Shows a run: reveals the panel that shows it already (in `column` when given), else opens a new
   * one. A what-if run opened from the view has its own scenario as the form's base.
   */
  open(run: SimulationRun, column: vscode.ViewColumn = vscode.ViewColumn.Active): TimelinePanel {
    const shown = this.panelOf(run.id);
    const content = shown?.shownContent;
    if (shown && content) {
      if (column === vscode.ViewColumn.Active || shown.viewColumn === column) {
        shown.reveal(column === vscode.ViewColumn.Active ? undefined : column);
        return shown;
      }
      // reveal(column) does not move a webview to another group in every host (code-server keeps it
      // where it is): show the same content in a panel there and close this one, so it is still one tab.
      const moved = this.create(run.title, column);
      moved.show(content);
      shown.dispose();
      return moved;
    }
    const timeline = this.create(run.title, column);
    timeline.show(contentOf(run));
    return timeline;
  }

  private create(title: string, column: vscode.ViewColumn): TimelinePanel {
    return this.adopt(vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, title, column, webviewPanelOptions(this.context.extensionUri)));
  }

  /** The open panel that shows this run, if any. */
  panelOf(runId: number): TimelinePanel | undefined {
    return [...this.panels].find((p) => p.runId === runId);
  }

  /** Every open timeline panel. */
  get all(): readonly TimelinePanel[] {
    return [...this.panels];
  }

  get active(): TimelinePanel | undefined {
    return [...this.panels].at(-1);
  }

  /**
   * Fills a panel VS Code restored after a reload from the page's saved state (validated; undefined
   * when missing or malformed). The caller (the restorer) guards it: a failure is shown in the panel.
   */
  private async restore(timeline: TimelinePanel, state: RestoredWebviewState | undefined): Promise<void> {
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
    const run = await this.runner.run(scenario, state.title, { kind: 'restored' }, state.anchorNow !== undefined ? { anchorNow: state.anchorNow } : {});
    timeline.show(contentOf(run, { base, values }));
  }

  /** Wraps a webview panel (new or restored) as a timeline owned by this set. */
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

  protected override onDispose(): void {
    for (const p of [...this.panels]) p.dispose();
  }
}
