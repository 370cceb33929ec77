/**
 * The Simulations view and its runs inside a real VS Code (issue 14): every run is an entry, a shown
 * run is revealed rather than opened twice, two runs compare side by side, and Explain Refresh Timing
 * answers beside the editor instead of in a modal.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulationRun } from '../../src/vscode/simulationRuns';
import { api, screenshot, sleep, test, waitFor, runMark, runsSince } from './suite';

function scenarioFile(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, 'outage.scenario.yaml');
}

/** A baseline run of the outage scenario and a what-if re-run of it from its page (outage 2 h → 4 h). */
async function baselineAndWhatIf(): Promise<{ baseline: SimulationRun; whatIf: SimulationRun }> {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const before = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.runScenario', scenarioFile());
  await waitFor('the baseline run', () => (runsSince(lens, before) > 0 ? true : undefined));
  const baseline = lens.runs.list()[0];
  assert.ok(baseline);
  const timeline = await waitFor('its panel', () => lens.panels.panelOf(baseline.id));
  const values = timeline.currentValues;
  assert.ok(values);
  // As the form sends it: the outage lasts four hours instead of two.
  await timeline.deliver({ type: 'rerun', values: { ...values, outages: [{ from: '2h', to: '6h' }] } });
  const whatIf = await waitFor('the what-if run', () => (lens.runs.list()[0]?.id !== baseline.id ? lens.runs.list()[0] : undefined));
  return { baseline, whatIf };
}

test('runs: a what-if re-run is an entry of its own, and opening a shown run reveals its panel', async () => {
  const lens = await api();
  const { baseline, whatIf } = await baselineAndWhatIf();
  // The what-if is listed, named so that it reads apart from its baseline.
  assert.equal(whatIf.whatIf?.baseRunId, baseline.id);
  assert.match(whatIf.title, /^Shop during a 2 h API-server outage — what-if: API-server outages .*2 h–4 h → 2 h–6 h/);
  const rows = lens.simulationsTree.getChildren().map((r) => lens.simulationsTree.getTreeItem(r).label);
  assert.ok(rows.includes(whatIf.title) && rows.includes(baseline.title), `both runs are rows: ${rows.join(' | ')}`);
  // The page now shows the what-if run; opening it from the view reveals that panel.
  const shown = lens.panels.panelOf(whatIf.id);
  assert.ok(shown, 'the page shows the what-if run');
  assert.equal(shown.currentTitle, whatIf.title);
  const count = lens.panels.all.length;
  await vscode.commands.executeCommand('kubeTokenLens.openRun', whatIf.id);
  assert.equal(lens.panels.all.length, count, 'no second tab for a shown run');
  assert.equal(lens.panels.panelOf(whatIf.id), shown);
  // The baseline is no longer shown anywhere: opening it opens it, once.
  await vscode.commands.executeCommand('kubeTokenLens.openRun', baseline.id);
  await vscode.commands.executeCommand('kubeTokenLens.openRun', baseline.id);
  assert.equal(lens.panels.all.length, count + 1, 'the baseline opened once');
  assert.equal(lens.panels.panelOf(baseline.id)?.currentTrace, baseline.trace);
});

test('runs: Compare With… puts baseline and what-if side by side and names what differs', async () => {
  const lens = await api();
  const { baseline, whatIf } = await baselineAndWhatIf();
  // From the what-if's row: the first choice offered is its baseline.
  const pending = vscode.commands.executeCommand('kubeTokenLens.compareRuns', whatIf);
  await sleep(1200);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await pending;
  const left = await waitFor('the left panel', () => lens.panels.panelOf(baseline.id)?.currentComparison ? lens.panels.panelOf(baseline.id) : undefined);
  const right = await waitFor('the right panel', () => lens.panels.panelOf(whatIf.id)?.currentComparison ? lens.panels.panelOf(whatIf.id) : undefined);
  // VS Code reports a moved panel's column a moment later.
  await waitFor(`the baseline on the left and the what-if beside it (columns ${left.viewColumn}, ${right.viewColumn})`, () =>
    left.viewColumn === vscode.ViewColumn.One && right.viewColumn === vscode.ViewColumn.Two ? true : undefined, 5_000);
  const comparison = left.currentComparison;
  assert.ok(comparison);
  assert.equal(comparison.side, 'left');
  assert.equal(right.currentComparison?.side, 'right');
  assert.equal(comparison.leftTitle, baseline.title);
  assert.equal(comparison.rightTitle, whatIf.title);
  // A longer outage changes the failures: the rows that differ come first and say both values.
  const differing = comparison.rows.filter((r) => r.differs);
  assert.ok(differing.length > 0, 'something differs');
  assert.equal(comparison.rows[0]?.differs, true, 'differences first');
  assert.ok(differing.some((r) => /fail/i.test(r.label)), `a failure figure differs: ${differing.map((r) => r.label).join(', ')}`);
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  // The moved panel loads its page afresh: give both charts time to paint.
  await sleep(6000);
  await screenshot('runs-compare');
  await vscode.commands.executeCommand('workbench.view.extension.kubeTokenLens');
});

test('runs: Explain Refresh Timing answers in a report beside the editor, not a modal', async () => {
  await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // A modal would hold the command until someone dismissed it: the command must finish by itself.
  const done = vscode.commands.executeCommand('kubeTokenLens.explainRefresh', 86_400);
  const finished = await Promise.race([Promise.resolve(done).then(() => true), sleep(10_000).then(() => false)]);
  assert.equal(finished, true, 'the command finished without waiting for a dialog');
  const doc = await waitFor('the report', () => vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'kube-token-lens-report'));
  const text = doc.getText();
  assert.match(text, /Kubelet refresh of a 1 d token/);
  assert.match(text, /after \*\*19 h 12 min\*\*/);
  assert.match(text, /Refresh window:\*\* \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ – /, 'the window in local time with its zone');
  assert.doesNotMatch(text, /SPEC/);
  await sleep(800);
  await screenshot('runs-explain-refresh');
});
