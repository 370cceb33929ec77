import * as vscode from 'vscode';
import { MIN_EXPIRATION_SECONDS } from '../sim/apiserver/tokenRequest';
import { readFile } from 'node:fs/promises';
import { decodeJwt } from '../token/decode';
import { verifyJwt } from '../token/verify';
import { errorText } from './commandGuard';
import { registerCommands } from './registerCommand';
import type { ClusterConnections } from './clusterConnections';
import { mintedTokenKeyPrefix, secretTokenKey, tokenKey, type ClusterNode, type ClusterTreeProvider, type ContextRef } from './clusterTree';
import type { KnownTokens } from './knownTokens';
import type { TokenReports } from './tokenReport';
import type { SimulationChoice } from './simulateCommands';
import type { SimulationService } from './simulationService';
import type { PodSummary } from '../cluster/clusterClient';
import type { Consent } from './consent';
import { ACTION_ACCESS, requireAccess } from './accessCheck';
import { confirmInStatusBar, warnWithLog } from './notify';
import { parseNamespaceList } from '../cluster/namespaceNames';
import { readPodTokenFiles, readTokensDetail } from './podTokenRead';

type PodNode = Extract<ClusterNode, { kind: 'pod' }>;
type TokenNode = Extract<ClusterNode, { kind: 'token' }>;
type SecretNode = Extract<ClusterNode, { kind: 'legacySecret' }>;
type MintedNode = Extract<ClusterNode, { kind: 'mintedToken' }>;
/** The rows that stand for one known token. */
type KnownTokenNode = TokenNode | SecretNode | MintedNode;

/** The KnownTokens key of the token a row stands for: a source's row is the pod's token, never a minted one. */
function knownKey(node: KnownTokenNode): string {
  switch (node.kind) {
    case 'token':
      return tokenKey(node.ctx, node.pod, node.source);
    case 'legacySecret':
      return secretTokenKey(node.ctx, node.secret);
    case 'mintedToken':
      return node.key;
  }
}

function reportTitle(node: KnownTokenNode): string {
  switch (node.kind) {
    case 'token':
      return `${node.pod.name} ${node.source.volume}/${node.source.path}`;
    case 'legacySecret':
      return `Secret ${node.secret.name}`;
    case 'mintedToken':
      return `Minted like ${node.pod.name} ${node.source.volume}/${node.source.path}`;
  }
}

interface Deps {
  tree: ClusterTreeProvider;
  connections: ClusterConnections;
  known: KnownTokens;
  reports: TokenReports;
  simulations: SimulationService;
  log: vscode.LogOutputChannel;
  consent: Consent;
}

export function registerClusterCommands(deps: Deps): vscode.Disposable[] {
  const { tree, connections, known, reports, simulations, log } = deps;
  let minted = 0;
  const confirm = (what: string, detail: string, button: string): Promise<boolean> => deps.consent.ask(what, detail, button);

  async function readTokens(ctx: ContextRef, pod: PodSummary, only?: TokenNode['source']): Promise<void> {
    const sources = only ? [only] : pod.tokenSources;
    if (sources.length === 0) return;
    await requireAccess(await connections.client(ctx.key), ACTION_ACCESS.readTokenFromPod(pod.namespace), log);
    const ok = await confirm(
      `Read the current token${sources.length > 1 ? 's' : ''} of pod ${pod.namespace}/${pod.name}?`,
      readTokensDetail(ctx.demo),
      'Read Token',
    );
    if (!ok) return;
    const client = await connections.client(ctx.key);
    await readPodTokenFiles(client, ctx, pod, sources, known, Date.now());
    log.info(`read ${sources.length} token(s) of ${pod.namespace}/${pod.name} from ${ctx.label}`);
  }

  async function decodeFrom(text: string, title: string): Promise<void> {
    const decoded = decodeJwt(text);
    if (!decoded.ok) {
      void vscode.window.showErrorMessage(`Token Lens: not a JWT: the ${decoded.where} ${decoded.error.startsWith(decoded.where) ? decoded.error.slice(decoded.where.length).trim() : `is invalid: ${decoded.error}`}`);
      return;
    }
    known.set(`pasted/${title}`, decoded.token, 'pasted', Date.now());
    await reports.show({ title, decoded });
  }

  return registerCommands(log, {
    'kubeTokenLens.loadMorePods': async (node: Extract<ClusterNode, { kind: 'loadMore' }>) => {
      await tree.loadMorePods(node.ctx, node.namespace);
    },
    'kubeTokenLens.readTokenFromPod': async (node: PodNode | TokenNode) => {
      await readTokens(node.ctx, node.pod, node.kind === 'token' ? node.source : undefined);
    },
    'kubeTokenLens.readLegacySecret': async (node: SecretNode) => {
      await requireAccess(await connections.client(node.ctx.key), ACTION_ACCESS.readSecret(node.secret.namespace, node.secret.name), log);
      const ok = await confirm(
        `Read the token of Secret ${node.secret.namespace}/${node.secret.name}?`,
        'This token never expires. It stays in this window’s memory and is never logged or saved.',
        'Read Token',
      );
      if (!ok) return;
      const client = await connections.client(node.ctx.key);
      const token = await client.readSecretToken(node.secret.namespace, node.secret.name);
      const problem = known.set(secretTokenKey(node.ctx, node.secret), token, 'legacySecret', Date.now());
      if (problem) throw new Error(`the Secret's token is not a JWT (${problem})`);
    },
    'kubeTokenLens.requestTokenLikePod': async (node: TokenNode) => {
      const { ctx, pod, source } = node;
      await requireAccess(await connections.client(ctx.key), ACTION_ACCESS.requestToken(pod.namespace, pod.serviceAccountName), log);
      const audience = source.audience ?? 'the API server’s audiences';
      const ok = await confirm(
        `Mint a real token for service account ${pod.namespace}/${pod.serviceAccountName}?`,
        `This calls TokenRequest on ${ctx.label}: a new, valid credential bound to pod ${pod.name}, audience ${audience}, for the shortest lifetime the API server allows (${MIN_EXPIRATION_SECONDS} s). It stays in this window’s memory and is never logged or saved.`,
        'Mint Token',
      );
      if (!ok) return;
      const client = await connections.client(ctx.key);
      const result = await client.requestToken(pod.namespace, pod.serviceAccountName, {
        expirationSeconds: MIN_EXPIRATION_SECONDS,
        boundPod: { name: pod.name, uid: pod.uid },
        ...(source.audience !== undefined ? { audiences: [source.audience] } : {}),
      });
      // Its own key under the source's: the source row keeps describing the pod's token (or nothing).
      const problem = known.set(`${mintedTokenKeyPrefix(ctx, pod, source)}${++minted}`, result.token, 'requested', Date.now(), result.expirationTimestampMs);
      if (problem) throw new Error(`the API server returned something that is not a JWT (${problem})`);
      for (const w of result.warnings) warnWithLog(`Token Lens: the API server warned about the token it minted: ${w}`, log);
      log.info(`minted a ${MIN_EXPIRATION_SECONDS} s token for ${pod.namespace}/${pod.serviceAccountName} bound to pod ${pod.name}`);
    },
    'kubeTokenLens.showTokenDetails': async (node: KnownTokenNode) => {
      const k = known.get(knownKey(node));
      if (!k) throw new Error(node.kind === 'token' ? 'read the token from the pod first' : 'read or request the token first');
      await reports.show({ title: reportTitle(node), decoded: k.decoded, ...(k.statusExpirationMs !== undefined ? { statusExpirationMs: k.statusExpirationMs } : {}) });
    },
    'kubeTokenLens.verifyToken': async (node: KnownTokenNode) => {
      const k = known.get(knownKey(node));
      if (!k) throw new Error(node.kind === 'token' ? 'read the token from the pod first' : 'read or request the token first');
      const choice = await vscode.window.showQuickPick(
        [
          { label: '$(server) The cluster’s issuer keys', description: '/.well-known/openid-configuration → /openid/v1/jwks', id: 'cluster' },
          { label: '$(file) A JWKS or public key file…', id: 'file' },
        ],
        { title: 'Verify the signature against…' },
      );
      if (!choice) return;
      let jwks: unknown;
      let against: string;
      let issuer: string | undefined;
      if (choice.id === 'cluster') {
        const client = await connections.client(node.ctx.key);
        const fetched = await client.fetchJwks();
        jwks = fetched.jwks;
        issuer = fetched.issuer;
        against = `${node.ctx.label} ${fetched.fetchedPath}`;
      } else {
        const picked = await vscode.window.showOpenDialog({ title: 'Pick a JWKS (JSON)', filters: { JWKS: ['json'] }, canSelectMany: false });
        if (!picked?.[0]) return;
        const text = await readFile(picked[0].fsPath, 'utf8');
        try {
          jwks = JSON.parse(text) as unknown;
        } catch (err) {
          throw new Error(`${picked[0].fsPath} is not JSON: ${errorText(err)}`);
        }
        against = picked[0].fsPath;
      }
      const result = await verifyJwt(k.value, jwks, { nowMs: Date.now(), ...(issuer ? { issuer } : {}) });
      await reports.show({ title: reportTitle(node), decoded: k.decoded, verification: { against, result }, ...(k.statusExpirationMs !== undefined ? { statusExpirationMs: k.statusExpirationMs } : {}) });
      if (result.ok) confirmInStatusBar(`Token Lens: signature verified against ${against}`);
      else void vscode.window.showWarningMessage(`Token Lens: not verified: ${result.reason}`);
    },
    'kubeTokenLens.copyToken': async (node: KnownTokenNode) => {
      const k = known.get(knownKey(node));
      if (!k) throw new Error(node.kind === 'token' ? 'read the token from the pod first' : 'read or request the token first');
      await vscode.env.clipboard.writeText(k.value);
      confirmInStatusBar('Token copied to the clipboard. It is a live credential: paste it only where it belongs.');
    },
    'kubeTokenLens.simulateToken': async (node: PodNode | TokenNode) => {
      await simulations.simulatePod(node.ctx, node.pod, node.kind === 'token' ? node.source : undefined);
    },
    'kubeTokenLens.enterNamespaces': async (node: Extract<ClusterNode, { kind: 'context' }>) => {
      if (node?.kind !== 'context') throw new Error('Enter Namespaces works on a context of the Cluster view: use it from the context’s row');
      const { ctx } = node;
      // Offered: what was entered before, else the context's namespace, else kubectl's own fallback.
      const value = connections.enteredNamespaces(ctx.key)?.join(', ') ?? ctx.summary?.namespace ?? 'default';
      const text = await vscode.window.showInputBox({
        title: `Namespaces you can read in ${ctx.label}`,
        prompt: 'Your user may not list namespaces here. Type the ones you can read, separated by commas.',
        placeHolder: 'e.g. shop, payments',
        value,
        ignoreFocusOut: true,
        validateInput: (t) => {
          const r = parseNamespaceList(t);
          return r.ok ? undefined : r.error;
        },
      });
      if (text === undefined) return;
      const parsed = parseNamespaceList(text);
      if (!parsed.ok) throw new Error(parsed.error);
      await connections.setEnteredNamespaces(ctx.key, parsed.names);
      log.info(`namespaces entered for ${ctx.label}: ${parsed.names.join(', ')}`);
      tree.refresh();
    },
    'kubeTokenLens.decodeToken': async () => {
      const editor = vscode.window.activeTextEditor;
      const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
      const items = [
        { label: '$(key) Paste a token…', id: 'paste' },
        ...(selection ? [{ label: '$(selection) The selection in the editor', id: 'selection' }] : []),
        { label: '$(clippy) The clipboard', id: 'clipboard' },
        { label: '$(file) A file…', id: 'file' },
      ];
      const choice = await vscode.window.showQuickPick(items, { title: 'Decode a token from…' });
      if (!choice) return;
      let text: string | undefined;
      if (choice.id === 'paste') text = await vscode.window.showInputBox({ title: 'Decode Token', prompt: 'Paste a JWT (kept in memory only)', password: true, ignoreFocusOut: true });
      else if (choice.id === 'selection') text = selection;
      else if (choice.id === 'clipboard') text = await vscode.env.clipboard.readText();
      else {
        const picked = await vscode.window.showOpenDialog({ title: 'Pick a token file', canSelectMany: false });
        if (picked?.[0]) text = await readFile(picked[0].fsPath, 'utf8');
      }
      if (text === undefined) return;
      if (text.trim() === '') throw new Error(`the ${choice.id} is empty`);
      await decodeFrom(text, `Decoded token ${new Date().toLocaleTimeString()}`);
    },
  });
}

/** "A pod of a cluster…" in Simulate Refresh's list. */
export function clusterSimulationChoice(deps: Pick<Deps, 'tree' | 'connections' | 'simulations'>): SimulationChoice {
  return {
    label: '$(server) A pod of a cluster…',
    description: 'its projected tokens, anchored at their real issue time when known',
    run: async () => {
      const ctx = await vscode.window.showQuickPick(
        deps.tree.contexts().map((c) => ({ label: c.label, description: c.demo ? 'built-in' : c.server, ctx: c })),
        { title: 'Which cluster?' },
      );
      if (!ctx) return;
      const client = await deps.connections.client(ctx.ctx.key);
      const page = await client.listPods(undefined, { limit: 500 });
      const pod = await vscode.window.showQuickPick(
        page.items
          .filter((p) => p.tokenSources.length > 0)
          .map((p) => ({ label: p.name, description: `${p.namespace} · ${p.tokenSources.map((s) => `${s.audience ?? 'api'} ${s.expirationSeconds} s`).join(', ')}`, pod: p })),
        { title: `Which pod of ${ctx.label}?${page.continueToken ? ' (first 500)' : ''}`, matchOnDescription: true },
      );
      if (!pod) return;
      await deps.simulations.simulatePod(ctx.ctx, pod.pod);
    },
  };
}
