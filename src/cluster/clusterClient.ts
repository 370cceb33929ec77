/**
 * The cluster as the extension browses it, through @kubernetes/client-node: namespaces, pods and the
 * projected service-account tokens they mount, service accounts, legacy token Secrets, TokenRequest,
 * TokenReview and the issuer's JWKS. Every failure is thrown as a ClusterError with a classified kind
 * and a precise message. Token values are never part of a summary: reading one is a separate call.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { Writable } from 'node:stream';
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  Observable,
  Watch,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Pod,
} from '@kubernetes/client-node';
import { ClusterError, classifyClusterError, fromStatus, type ErrorContext } from './clusterErrors';
import type { DemoPodToken } from './demo/tokens';
import { describeAccess, type AccessReviewResult, type ResourceAccess } from './access';
import { tokenSourcesOf, type ProjectedTokenSource } from '../manifest/podTokenSources';

export const DEFAULT_TIMEOUT_MS = 15_000;
export { describeAccess, type ResourceAccess, type AccessReviewResult } from './access';
// The pod-spec token rules live in the pure manifest layer; re-exported for the layers that import them from here.
export { SA_MOUNT_PATH, tokenSourcesOf, type ProjectedTokenSource, type TokenMount } from '../manifest/podTokenSources';

export interface PodSummary {
  name: string;
  namespace: string;
  uid: string;
  serviceAccountName: string;
  nodeName?: string;
  phase?: string;
  creationTimestamp?: string;
  /** status.startTime: when the kubelet acknowledged the pod (it requests the pod's tokens at its first sync). */
  startTime?: string;
  containers: Array<{ name: string; image: string; init: boolean }>;
  /** automountServiceAccountToken: false on the pod. */
  automountDisabled: boolean;
  tokenSources: ProjectedTokenSource[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  /** Set when more items remain: pass it back as continueToken. */
  continueToken?: string;
  remainingItemCount?: number;
  resourceVersion?: string;
}

export interface NamespaceSummary {
  name: string;
  uid: string;
  phase?: string;
  creationTimestamp?: string;
}

export interface ServiceAccountSummary {
  name: string;
  namespace: string;
  uid: string;
  automountServiceAccountToken?: boolean;
  /** Names of Secrets the service account lists (legacy token Secrets among them). */
  secrets: string[];
  annotations: Record<string, string>;
  creationTimestamp?: string;
}

/** A kubernetes.io/service-account-token Secret, without its token. */
export interface LegacyTokenSecretSummary {
  name: string;
  namespace: string;
  uid: string;
  serviceAccountName?: string;
  serviceAccountUid?: string;
  /** kubernetes.io/legacy-token-last-used label (a date), when the cluster tracks it. */
  lastUsed?: string;
  /** kubernetes.io/legacy-token-invalid-since label, when the cleaner has invalidated it. */
  invalidSince?: string;
  hasToken: boolean;
  creationTimestamp?: string;
}

export interface TokenRequestOptions {
  audiences?: string[];
  expirationSeconds?: number;
  boundPod?: { name: string; uid?: string };
}

export interface TokenRequestResult {
  token: string;
  /** status.expirationTimestamp: the requested lifetime, even when the JWT is extended (SPEC D.1 step 9). */
  expirationTimestampMs: number;
  /** spec.expirationSeconds as the server returned it (after defaulting and clamping). */
  expirationSeconds?: number;
  audiences: string[];
  /** Warning headers the server sent (e.g. "requested expiration of 7200 seconds shortened to 3600 seconds"). */
  warnings: string[];
}

export interface JwksResult {
  issuer: string;
  jwksUri: string;
  /** The path actually fetched from the API server. */
  fetchedPath: string;
  jwks: { keys: Array<Record<string, unknown>> };
}

export interface TokenReviewResult {
  authenticated: boolean;
  username?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
  audiences: string[];
  error?: string;
}

export interface ClusterClientOptions {
  /** Per-request timeout, ms (default 15 s). */
  timeoutMs?: number;
}

function iso(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? undefined : `${d.toISOString().slice(0, 19)}Z`;
  return d;
}

export function summarizePod(pod: V1Pod): PodSummary {
  const s: PodSummary = {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    uid: pod.metadata?.uid ?? '',
    serviceAccountName: pod.spec?.serviceAccountName ?? 'default',
    containers: [
      ...(pod.spec?.initContainers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', init: true })),
      ...(pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', init: false })),
    ],
    automountDisabled: pod.spec?.automountServiceAccountToken === false,
    tokenSources: tokenSourcesOf(pod),
    labels: { ...(pod.metadata?.labels ?? {}) },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
  };
  if (pod.spec?.nodeName) s.nodeName = pod.spec.nodeName;
  if (pod.status?.phase) s.phase = pod.status.phase;
  const created = iso(pod.metadata?.creationTimestamp);
  if (created) s.creationTimestamp = created;
  const started = iso(pod.status?.startTime);
  if (started) s.startTime = started;
  return s;
}

/** The demo cluster's per-pod token list (see src/cluster/demo): the pod's token files right now. */
export type PodTokenFile = DemoPodToken;

export class ClusterClient {
  readonly kc: KubeConfig;
  readonly context: string;
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly auth: AuthenticationV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly timeoutMs: number;

  /** @param kubeconfig is not modified: the client works on a copy set to `contextName`. */
  constructor(kubeconfig: KubeConfig, contextName: string, opts: ClusterClientOptions = {}) {
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: kubeconfig.clusters, users: kubeconfig.users, contexts: kubeconfig.contexts, currentContext: contextName });
    const ctx = kc.getContextObject(contextName);
    if (!ctx) throw new ClusterError({ kind: 'unknown', message: `context "${contextName}" is not in the kubeconfig` });
    const cluster = kc.getCluster(ctx.cluster);
    if (!cluster) throw new ClusterError({ kind: 'unknown', message: `context "${contextName}" names cluster "${ctx.cluster}", which is not in the kubeconfig` });
    this.kc = kc;
    this.context = contextName;
    this.server = cluster.server.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.core = kc.makeApiClient(CoreV1Api);
    this.auth = kc.makeApiClient(AuthenticationV1Api);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
  }

  private errorContext(operation: string): ErrorContext {
    return { server: this.server, context: this.context, operation };
  }

  /** Per-call options: a timeout (AbortSignal) and a hook that keeps the response's Warning headers. */
  private options(warnings?: string[]): ConfigurationOptions {
    const timeoutMs = this.timeoutMs;
    const mw: ObservableMiddleware = {
      pre(ctx: RequestContext) {
        ctx.setSignal(AbortSignal.timeout(timeoutMs) as unknown as Parameters<RequestContext['setSignal']>[0]);
        return new Observable(Promise.resolve(ctx));
      },
      post(res: ResponseContext) {
        const w = res.headers.warning;
        if (warnings && w) warnings.push(...parseWarnings(w));
        return new Observable(Promise.resolve(res));
      },
    };
    return { middleware: [mw], middlewareMergeStrategy: 'append' };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new ClusterError(classifyClusterError(err, this.errorContext(operation)));
    }
  }

  async listNamespaces(): Promise<NamespaceSummary[]> {
    const out: NamespaceSummary[] = [];
    let cont: string | undefined;
    do {
      const list = await this.call('list namespaces', () => this.core.listNamespace({ limit: 500, ...(cont ? { _continue: cont } : {}) }, this.options()));
      for (const ns of list.items) {
        const s: NamespaceSummary = { name: ns.metadata?.name ?? '', uid: ns.metadata?.uid ?? '' };
        if (ns.status?.phase) s.phase = ns.status.phase;
        const created = iso(ns.metadata?.creationTimestamp);
        if (created) s.creationTimestamp = created;
        out.push(s);
      }
      cont = list.metadata?._continue || undefined;
    } while (cont);
    return out;
  }

  /** One page of pods; namespace undefined = all namespaces. */
  async listPods(namespace: string | undefined, page: { limit?: number; continueToken?: string } = {}): Promise<Page<PodSummary>> {
    const params = { ...(page.limit ? { limit: page.limit } : {}), ...(page.continueToken ? { _continue: page.continueToken } : {}) };
    const what = namespace === undefined ? 'list pods in all namespaces' : `list pods in namespace ${namespace}`;
    const list = await this.call(what, () =>
      namespace === undefined ? this.core.listPodForAllNamespaces(params, this.options()) : this.core.listNamespacedPod({ namespace, ...params }, this.options()),
    );
    const result: Page<PodSummary> = { items: list.items.map(summarizePod) };
    if (list.metadata?._continue) result.continueToken = list.metadata._continue;
    if (list.metadata?.remainingItemCount !== undefined) result.remainingItemCount = list.metadata.remainingItemCount;
    if (list.metadata?.resourceVersion) result.resourceVersion = list.metadata.resourceVersion;
    return result;
  }

  async listServiceAccounts(namespace: string): Promise<ServiceAccountSummary[]> {
    const out: ServiceAccountSummary[] = [];
    let cont: string | undefined;
    do {
      const list = await this.call(`list service accounts in namespace ${namespace}`, () =>
        this.core.listNamespacedServiceAccount({ namespace, limit: 500, ...(cont ? { _continue: cont } : {}) }, this.options()),
      );
      for (const sa of list.items) {
        const s: ServiceAccountSummary = {
          name: sa.metadata?.name ?? '',
          namespace: sa.metadata?.namespace ?? namespace,
          uid: sa.metadata?.uid ?? '',
          secrets: (sa.secrets ?? []).map((r) => r.name ?? '').filter((n) => n !== ''),
          annotations: { ...(sa.metadata?.annotations ?? {}) },
        };
        if (sa.automountServiceAccountToken !== undefined) s.automountServiceAccountToken = sa.automountServiceAccountToken;
        const created = iso(sa.metadata?.creationTimestamp);
        if (created) s.creationTimestamp = created;
        out.push(s);
      }
      cont = list.metadata?._continue || undefined;
    } while (cont);
    return out;
  }

  /** kubernetes.io/service-account-token Secrets (namespace undefined = all), without their tokens. */
  async listLegacyTokenSecrets(namespace?: string): Promise<LegacyTokenSecretSummary[]> {
    const out: LegacyTokenSecretSummary[] = [];
    let cont: string | undefined;
    const fieldSelector = 'type=kubernetes.io/service-account-token';
    do {
      const params = { fieldSelector, limit: 500, ...(cont ? { _continue: cont } : {}) };
      const list = await this.call(`list service-account token Secrets${namespace ? ` in namespace ${namespace}` : ''}`, () =>
        namespace === undefined ? this.core.listSecretForAllNamespaces(params, this.options()) : this.core.listNamespacedSecret({ namespace, ...params }, this.options()),
      );
      for (const sec of list.items) {
        if (sec.type !== 'kubernetes.io/service-account-token') continue;
        const a = sec.metadata?.annotations ?? {};
        const l = sec.metadata?.labels ?? {};
        const s: LegacyTokenSecretSummary = {
          name: sec.metadata?.name ?? '',
          namespace: sec.metadata?.namespace ?? namespace ?? '',
          uid: sec.metadata?.uid ?? '',
          hasToken: typeof sec.data?.token === 'string' && sec.data.token !== '',
        };
        if (a['kubernetes.io/service-account.name']) s.serviceAccountName = a['kubernetes.io/service-account.name'];
        if (a['kubernetes.io/service-account.uid']) s.serviceAccountUid = a['kubernetes.io/service-account.uid'];
        if (l['kubernetes.io/legacy-token-last-used']) s.lastUsed = l['kubernetes.io/legacy-token-last-used'];
        if (l['kubernetes.io/legacy-token-invalid-since']) s.invalidSince = l['kubernetes.io/legacy-token-invalid-since'];
        const created = iso(sec.metadata?.creationTimestamp);
        if (created) s.creationTimestamp = created;
        out.push(s);
      }
      cont = list.metadata?._continue || undefined;
    } while (cont);
    return out;
  }

  /** The token of a legacy token Secret: an explicit user action (the value is a credential). */
  async readSecretToken(namespace: string, name: string): Promise<string> {
    const sec = await this.call(`read Secret ${namespace}/${name}`, () => this.core.readNamespacedSecret({ namespace, name }, this.options()));
    if (sec.type !== 'kubernetes.io/service-account-token') {
      throw new ClusterError({ kind: 'invalid', message: `Secret ${namespace}/${name} is of type ${sec.type ?? '(none)'}, not kubernetes.io/service-account-token` });
    }
    const data = sec.data?.token;
    if (!data) throw new ClusterError({ kind: 'notFound', message: `Secret ${namespace}/${name} has no token yet (the token controller has not filled it in)` });
    return Buffer.from(data, 'base64').toString('utf8');
  }

  /** TokenRequest (POST …/serviceaccounts/{sa}/token). */
  async requestToken(namespace: string, serviceAccount: string, opts: TokenRequestOptions = {}): Promise<TokenRequestResult> {
    const warnings: string[] = [];
    const spec: Record<string, unknown> = { audiences: opts.audiences ?? [] };
    if (opts.expirationSeconds !== undefined) spec.expirationSeconds = opts.expirationSeconds;
    if (opts.boundPod) spec.boundObjectRef = { kind: 'Pod', apiVersion: 'v1', name: opts.boundPod.name, ...(opts.boundPod.uid ? { uid: opts.boundPod.uid } : {}) };
    const operation = `request a token for service account ${namespace}/${serviceAccount}`;
    let tr;
    try {
      tr = await this.core.createNamespacedServiceAccountToken(
        { namespace, name: serviceAccount, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec } as never },
        this.options(warnings),
      );
    } catch (err) {
      const info = classifyClusterError(err, this.errorContext(operation));
      // A 404 that names no object means the subresource itself is missing: confirm with discovery (SPEC A.3).
      if (info.kind === 'notFound' && info.status === 404 && !/ not found$/.test(info.serverMessage ?? '') && !(await this.hasTokenRequest().catch(() => true))) {
        throw new ClusterError({
          ...info,
          kind: 'tokenRequestUnsupported',
          message: `${operation}: the API server does not have TokenRequest endpoints enabled (discovery lists no serviceaccounts/token)`,
        });
      }
      throw new ClusterError(info);
    }
    const exp = tr.status?.expirationTimestamp;
    const result: TokenRequestResult = {
      token: tr.status?.token ?? '',
      expirationTimestampMs: exp instanceof Date ? exp.getTime() : Date.parse(String(exp)),
      audiences: tr.spec?.audiences ?? [],
      warnings,
    };
    if (tr.spec?.expirationSeconds !== undefined) result.expirationSeconds = tr.spec.expirationSeconds;
    return result;
  }

  /**
   * SelfSubjectAccessReview: may the context's user do this? Answers what the authorizer said
   * (status.allowed / denied / reason / evaluationError of authorization.k8s.io/v1); throws a
   * ClusterError when the review itself fails (not served, forbidden, unreachable).
   */
  async accessReview(access: ResourceAccess): Promise<AccessReviewResult> {
    const resourceAttributes: Record<string, string> = { verb: access.verb, resource: access.resource };
    if (access.group) resourceAttributes.group = access.group;
    if (access.subresource) resourceAttributes.subresource = access.subresource;
    if (access.namespace) resourceAttributes.namespace = access.namespace;
    if (access.name) resourceAttributes.name = access.name;
    const review = await this.call(`check access to ${describeAccess(access)} (SelfSubjectAccessReview)`, () =>
      this.authz.createSelfSubjectAccessReview(
        { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } } },
        this.options(),
      ),
    );
    const st = review.status;
    if (!st || typeof st.allowed !== 'boolean') throw new ClusterError({ kind: 'invalid', message: 'the SelfSubjectAccessReview answer has no status.allowed' });
    const result: AccessReviewResult = { allowed: st.allowed, denied: st.denied === true };
    if (st.reason) result.reason = st.reason;
    if (st.evaluationError) result.evaluationError = st.evaluationError;
    return result;
  }

  /** Whether discovery lists the serviceaccounts/token subresource. */
  async hasTokenRequest(): Promise<boolean> {
    const list = await this.call('discover core resources', () => this.core.getAPIResources(this.options()));
    return list.resources.some((r) => r.name === 'serviceaccounts/token');
  }

  async tokenReview(token: string, audiences?: string[]): Promise<TokenReviewResult> {
    const review = await this.call('review a token (TokenReview)', () =>
      this.auth.createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } } }, this.options()),
    );
    const st = review.status ?? {};
    const r: TokenReviewResult = {
      authenticated: st.authenticated === true,
      groups: st.user?.groups ?? [],
      extra: (st.user?.extra as Record<string, string[]> | undefined) ?? {},
      audiences: st.audiences ?? [],
    };
    if (st.user?.username) r.username = st.user.username;
    if (st.user?.uid) r.uid = st.user.uid;
    if (st.error) r.error = st.error;
    return r;
  }

  /**
   * The issuer's keys: /.well-known/openid-configuration, then the path of its jwks_uri fetched from
   * the API server itself (the URI names the issuer's public host, which is often unreachable from here).
   */
  async fetchJwks(): Promise<JwksResult> {
    const config = await this.getJson<{ issuer?: string; jwks_uri?: string }>('/.well-known/openid-configuration', 'read the OIDC discovery document');
    const jwksUri = config.jwks_uri ?? '';
    let path = '/openid/v1/jwks';
    try {
      if (jwksUri) path = new URL(jwksUri).pathname;
    } catch {
      throw new ClusterError({ kind: 'invalid', message: `the OIDC discovery document has an invalid jwks_uri: ${JSON.stringify(jwksUri)}` });
    }
    const jwks = await this.getJson<{ keys?: unknown }>(path, `read the issuer keys (${path})`);
    if (!Array.isArray(jwks.keys)) throw new ClusterError({ kind: 'invalid', message: `${path} did not return a JWKS (no "keys" array)` });
    return { issuer: config.issuer ?? '', jwksUri, fetchedPath: path, jwks: jwks as JwksResult['jwks'] };
  }

  /**
   * Reads a file inside a running container, as `kubectl exec POD -c CONTAINER -- cat FILE` would (the
   * pods/exec subresource over a WebSocket). Used to read the token the kubelet wrote; the caller
   * must have the user's permission, since the result is a credential.
   */
  async execReadFile(namespace: string, pod: string, container: string, file: string): Promise<string> {
    const operation = `read ${file} in ${namespace}/${pod} (container ${container}) with pods/exec`;
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    const sink = (into: Buffer[]): Writable =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          into.push(chunk);
          done();
        },
      });
    return this.call(operation, async () => {
      const status = await new Promise<{ status?: string; message?: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        new Exec(this.kc)
          .exec(namespace, pod, container, ['cat', file], sink(chunks), sink(errors), null, false, (st) => {
            clearTimeout(timer);
            resolve({ ...(st.status ? { status: st.status } : {}), ...(st.message ? { message: st.message } : {}) });
          })
          .catch((err: unknown) => {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
      if (status.status !== 'Success') {
        const stderr = Buffer.concat(errors).toString('utf8').trim();
        throw new Error(`cat ${file} failed: ${stderr || status.message || 'unknown error'}`);
      }
      return Buffer.concat(chunks).toString('utf8').trim();
    });
  }

  /**
   * Watches the pods of a namespace from `resourceVersion` (the list's), as `kubectl get pods -w` does.
   * `onEvent` gets each change; `onEnd` once, when the stream ends (error, server timeout, or stop()),
   * with a ClusterError when it failed ('expired' for 410 Gone: list again, then watch from the new list).
   * The caller reconnects. Returns stop().
   */
  async watchPods(
    namespace: string,
    resourceVersion: string,
    onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: PodSummary, resourceVersion: string | undefined) => void,
    onEnd: (err: ClusterError | undefined) => void,
  ): Promise<() => void> {
    const operation = `watch pods in namespace ${namespace}`;
    let ended = false;
    const end = (err: ClusterError | undefined): void => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    const controller = await new Watch(this.kc).watch(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 },
      (type: string, obj: unknown) => {
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent(type, summarizePod(obj as V1Pod), (obj as V1Pod).metadata?.resourceVersion);
        else if (type === 'ERROR') {
          const st = obj as { code?: number; message?: string } | undefined;
          end(new ClusterError(fromStatus(st?.code ?? 500, obj as never, this.errorContext(operation))));
        }
        // BOOKMARK: only moves the resourceVersion on; nothing to show.
      },
      (err: unknown) => end(err ? new ClusterError(classifyClusterError(err, this.errorContext(operation))) : undefined),
    );
    return () => {
      ended = true;
      controller.abort();
    };
  }

  /** The demo cluster's view of a pod's token files (404 on a real cluster). */
  async readDemoPodTokens(namespace: string, pod: string): Promise<PodTokenFile[]> {
    const list = await this.getJson<{ items?: PodTokenFile[] }>(`/demo/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/tokens`, `read the token files of pod ${namespace}/${pod}`);
    return list.items ?? [];
  }

  /** GET a path on the API server with the context's credentials and TLS settings; parse JSON. */
  async getJson<T>(path: string, operation: string): Promise<T> {
    const ctx = this.errorContext(operation);
    let opts: RequestOptions = {};
    let url: URL;
    try {
      await this.kc.applyToHTTPSOptions(opts);
      url = new URL(this.server + path);
    } catch (err) {
      throw new ClusterError(classifyClusterError(err, ctx));
    }
    opts = { ...opts, method: 'GET', headers: { ...(opts.headers ?? {}), Accept: 'application/json' }, timeout: this.timeoutMs };
    const requestFn = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = requestFn(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    }).catch((err: unknown) => {
      throw new ClusterError(classifyClusterError(err, ctx));
    });
    if (status < 200 || status > 299) {
      let s: unknown;
      try {
        s = JSON.parse(body);
      } catch {
        s = undefined;
      }
      throw new ClusterError(fromStatus(status, (s as { kind?: string } | undefined)?.kind === 'Status' ? (s as never) : undefined, ctx));
    }
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new ClusterError({ kind: 'invalid', status, message: `${operation}: the answer from ${path} is not JSON` });
    }
  }
}

/** Parses Warning headers (RFC 7234: `299 - "text"`, comma-separated). */
export function parseWarnings(header: string): string[] {
  const out: string[] = [];
  const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) out.push((m[1] as string).replace(/\\(.)/g, '$1'));
  return out;
}

export function createClusterClient(kubeconfig: KubeConfig, contextName: string, opts: ClusterClientOptions = {}): ClusterClient {
  return new ClusterClient(kubeconfig, contextName, opts);
}
