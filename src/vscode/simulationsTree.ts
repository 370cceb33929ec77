import * as vscode from 'vscode';
import { runHeadline } from '../sim/presentations';
import type { SimulationRun, SimulationRuns } from './simulationRuns';
import { DisposableBase } from './disposable';
import { plainRuleText } from '../sim/ruleText';

/** The Simulations view: recent runs, newest first. Empty: the view's welcome content offers a run. */
export class SimulationsTreeProvider extends DisposableBase implements vscode.TreeDataProvider<SimulationRun> {
  private readonly changed = this.own(new vscode.EventEmitter<SimulationRun | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly runs: SimulationRuns) {
    super();
    this.own(runs.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(element?: SimulationRun): SimulationRun[] {
    return element ? [] : [...this.runs.list()];
  }

  getTreeItem(run: SimulationRun): vscode.TreeItem {
    const item = new vscode.TreeItem(run.title);
    const m = run.trace.meta;
    const headline = runHeadline(run.trace);
    item.description = [`${m.lanesTotal} lanes`, `${m.eventsTotal} events`, ...headline.parts].join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${run.title}**`,
        ...(run.whatIf ? [`what-if of “${run.whatIf.baseTitle}”: ${run.whatIf.changes.join('; ')}`] : []),
        `virtual time: ${new Date(m.start).toISOString()} → ${new Date(m.end).toISOString()}`,
        `seed ${m.seed} · models: ${m.models.map(plainRuleText).join(', ')}`,
        `ran in ${run.tookMs} ms, finished ${new Date(run.finishedAt).toLocaleTimeString()}`,
      ].join('  \n'),
    );
    item.iconPath = new vscode.ThemeIcon(run.whatIf ? 'beaker' : headline.attention ? 'graph-line' : 'pass');
    item.contextValue = 'simulationRun';
    item.command = { command: 'kubeTokenLens.openRun', title: 'Open Timeline', arguments: [run.id] };
    return item;
  }
}
