/**
 * The extension-tests module of `npm run bench -- activation` (the run() contract of
 * test/integration/index.ts; bench/activation.ts bundles it to out/bench/activationProbe.js), loaded by
 * the extension host of a fresh code-server window. It opens a YAML file of the workspace (the
 * extension activates onLanguage:yaml; the workbench may have activated it already), waits for the
 * activation, then reads the extension host's own activation times from the workbench's "Startup
 * Performance" document (Developer: Startup Performance: the table VS Code fills from each extension's
 * activation times: loading its code, the activate() call, the settling of what it returns) and logs
 * them as one line the bench reads: `[ktl:activation] {json}`.
 */
import * as vscode from 'vscode';

const EXTENSION_ID = 'kube-token-lens.kube-token-lens';
const MARK = '[ktl:activation]';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ActivationFigures {
  /** Already active when the probe started (activated by another event at window start). */
  wasActive: boolean;
  /** From opening the YAML file until the probe saw the extension active. */
  seenActiveMs: number;
  eager: boolean;
  /** The extension host's own times, in ms. */
  loadCode: number;
  callActivate: number;
  finishActivate: number;
  event: string;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

/** The row of the "Extension Activation Stats" table for this extension, or undefined. */
function activationRow(text: string): Omit<ActivationFigures, 'wasActive' | 'seenActiveMs'> | undefined {
  const heading = text.indexOf('Extension Activation Stats');
  if (heading < 0) return undefined;
  for (const line of text.slice(heading).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // |Extension|Eager|Load Code|Call Activate|Finish Activate|Event|By|
    if (cells[1] !== EXTENSION_ID) continue;
    const [loadCode = Number.NaN, callActivate = Number.NaN, finishActivate = Number.NaN] = cells.slice(3, 6).map(Number);
    return { eager: cells[2] === 'true', loadCode, callActivate, finishActivate, event: cells[6] ?? '' };
  }
  return undefined;
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this window`);
  const wasActive = ext.isActive;
  const [yaml] = await vscode.workspace.findFiles('*.yaml', undefined, 1);
  if (!yaml) throw new Error('the workspace has no YAML file to open');
  const opened = performance.now();
  const doc = await vscode.workspace.openTextDocument(yaml);
  await vscode.window.showTextDocument(doc);
  await waitFor('activation', () => (ext.isActive ? true : undefined));
  const seenActiveMs = performance.now() - opened;
  // The workbench learns the times from the extension host a moment after activate() returns. Its
  // perf: documents exist once the Startup Performance view has been created.
  await sleep(500);
  await vscode.commands.executeCommand('perfview.show');
  let row: ReturnType<typeof activationRow>;
  for (let attempt = 0; attempt < 20 && !row; attempt++) {
    const perf = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }));
    row = activationRow(perf.getText());
    if (!row) await sleep(500);
  }
  if (!row) throw new Error('the Startup Performance document has no activation row for this extension');
  const figures: ActivationFigures = { wasActive, seenActiveMs, ...row };
  console.log(`${MARK} ${JSON.stringify(figures)}`);
}
