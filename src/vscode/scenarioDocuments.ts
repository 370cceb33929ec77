import * as vscode from 'vscode';
import { loadScenario } from '../sim/scenario/load';
import { looksLikeScenarioText } from '../sim/scenario/recognize';
import { DisposableBase } from './disposable';
import { includesOf } from './scenarioIncludes';

/** A scenario file by name (*.scenario.yaml/json) or by content (scenario/recognize.ts). */
export function looksLikeScenario(doc: vscode.TextDocument): boolean {
  if (!['yaml', 'json', 'jsonc'].includes(doc.languageId)) return false;
  if (/\.scenario\.(ya?ml|json)$/i.test(doc.fileName)) return true;
  return looksLikeScenarioText(doc.getText(), doc.languageId === 'yaml' ? 'yaml' : 'json');
}

/** Validates scenario documents as they are edited (diagnostics) and offers "Run Simulation". */
export class ScenarioDocuments extends DisposableBase implements vscode.CodeLensProvider {
  private readonly diagnostics = this.own(vscode.languages.createDiagnosticCollection('kube-token-lens-scenario'));
  private readonly lensesChanged = this.own(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    const selector: vscode.DocumentSelector = [
      { language: 'yaml' },
      { language: 'json' },
      { language: 'jsonc' },
    ];
    this.own(vscode.languages.registerCodeLensProvider(selector, this));
    this.own(vscode.workspace.onDidOpenTextDocument((d) => this.check(d)));
    this.own(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  isScenario(doc: vscode.TextDocument): boolean {
    return looksLikeScenario(doc);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!looksLikeScenario(doc)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { command: 'kubeTokenLens.runScenario', title: '$(play) Run Simulation', arguments: [doc.uri] }),
    ];
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.check(doc);
    }, 300));
  }

  /** Validates and publishes diagnostics; returns whether the document is a valid scenario. */
  check(doc: vscode.TextDocument): boolean {
    if (!looksLikeScenario(doc)) {
      this.diagnostics.delete(doc.uri);
      return false;
    }
    const result = loadScenario(doc.getText(), doc.fileName, includesOf(doc));
    const problems = result.ok ? result.warnings : result.errors;
    this.diagnostics.set(
      doc.uri,
      problems.map((p) => {
        const start = new vscode.Position(p.line - 1, p.column - 1);
        const end = p.endLine !== undefined && p.endColumn !== undefined ? new vscode.Position(p.endLine - 1, p.endColumn - 1) : start.translate(0, 1);
        const d = new vscode.Diagnostic(
          new vscode.Range(start, end),
          p.path ? `${p.message} (${p.path})` : p.message,
          p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
        );
        d.source = 'Kube Token Lens';
        return d;
      }),
    );
    this.lensesChanged.fire();
    return result.ok;
  }

  protected override onDispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
