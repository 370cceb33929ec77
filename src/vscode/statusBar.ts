import * as vscode from 'vscode';
import { analyzeClaims } from '../token/claims';
import { EXPIRY_NAMES, expiryRelative } from '../token/expiries';
import { formatLocalDateTime } from '../token/format';
import type { ClusterNode, ClusterTreeProvider } from './clusterTree';
import { DisposableBase, toDisposable } from './disposable';
import type { PodTokenEntry, TokenHealth } from './tokenHealth';

export const REVEAL_SOONEST_COMMAND = 'kubeTokenLens.revealSoonestToken';

/** The known pod token whose JWT expires first (already expired ones first of all), if any. */
export function soonestExpiring(entries: readonly PodTokenEntry[], nowMs: number): { entry: PodTokenEntry; expMs: number } | undefined {
  let best: { entry: PodTokenEntry; expMs: number } | undefined;
  for (const entry of entries) {
    if (!entry.known) continue;
    const exp = analyzeClaims(entry.known.decoded.payload, nowMs).exp;
    if (!exp) continue; // never expires: flagged by the health badges instead
    if (!best || exp.ms < best.expMs) best = { entry, expMs: exp.ms };
  }
  return best;
}

/**
 * The status-bar item: the context and pod of the soonest-expiring known token and which expiry that
 * is ("$(key) demo · shop/web-0 JWT expiry in 12 min"). Hidden while no expiring token is known;
 * clicking it reveals the token in the Cluster view.
 */
export class TokenStatusBar extends DisposableBase {
  private readonly item = this.own(vscode.window.createStatusBarItem('kubeTokenLens.soonestToken', vscode.StatusBarAlignment.Left, 20));
  private current: PodTokenEntry | undefined;

  constructor(
    private readonly health: TokenHealth,
    private readonly now: () => number = () => Date.now(),
  ) {
    super();
    this.item.name = 'Kube Token Lens: soonest-expiring token';
    this.own(health.onDidChange(() => this.update()));
    // The relative time moves on: re-label every 30 s while shown.
    const ticker = setInterval(() => {
      if (this.current) this.update();
    }, 30_000);
    this.own(toDisposable(() => clearInterval(ticker)));
    this.update();
  }

  /** The text shown, undefined while hidden (the integration tests read it). */
  get text(): string | undefined {
    return this.current ? this.item.text : undefined;
  }

  /** The token the item points at. */
  get target(): PodTokenEntry | undefined {
    return this.current;
  }

  update(): void {
    const nowMs = this.now();
    const soonest = soonestExpiring(this.health.entries(), nowMs);
    this.current = soonest?.entry;
    if (!soonest) {
      this.item.hide();
      return;
    }
    const { entry, expMs } = soonest;
    const where = `${entry.pod.namespace}/${entry.pod.name}`;
    this.item.text = `$(key) ${entry.ctx.label} · ${where} ${expiryRelative('jwtExp', expMs, nowMs)}`;
    const tip = new vscode.MarkdownString(
      [
        `**Soonest-expiring token you have read**: ${where} \`${entry.source.volume}/${entry.source.path}\` in ${entry.ctx.label}`,
        `${EXPIRY_NAMES.jwtExp.label}: ${formatLocalDateTime(expMs)}`,
        EXPIRY_NAMES.jwtExp.explain,
        'Click to show it in the Cluster view.',
      ].join('  \n'),
    );
    this.item.tooltip = tip;
    this.item.command = { command: REVEAL_SOONEST_COMMAND, title: 'Show Token' };
    this.item.show();
  }
}

/**
 * Finds the tree's own node for a token (walking context → namespace → pod → token, so that getParent
 * knows the path) and reveals it.
 */
export async function revealToken(tree: ClusterTreeProvider, view: vscode.TreeView<ClusterNode>, entry: PodTokenEntry): Promise<void> {
  const ctx = (await tree.getChildren()).find((n) => n.kind === 'context' && n.ctx.key === entry.ctx.key);
  const ns = ctx && (await tree.getChildren(ctx)).find((n) => n.kind === 'namespace' && n.namespace === entry.pod.namespace);
  const pod = ns && (await tree.getChildren(ns)).find((n) => n.kind === 'pod' && n.pod.name === entry.pod.name);
  const token = pod && (await tree.getChildren(pod)).find((n) => n.kind === 'token' && n.source.volume === entry.source.volume && n.source.path === entry.source.path);
  if (!token) throw new Error(`the token of ${entry.pod.namespace}/${entry.pod.name} is no longer in the Cluster view (the pod may be gone, or hidden by the filter)`);
  // VS Code drops a reveal that races a refresh of the tree (which reads and live updates trigger):
  // check that the row got selected, and reveal again if not.
  const landed = (): boolean => view.selection.some((n) => n.kind === 'token' && n.pod.name === entry.pod.name && n.pod.namespace === entry.pod.namespace && n.source.volume === entry.source.volume && n.source.path === entry.source.path);
  for (let attempt = 0; attempt < 3; attempt++) {
    await view.reveal(token, { select: true, focus: true, expand: true });
    for (let waited = 0; waited < 1000 && !landed(); waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (landed()) return;
  }
}
