/**
 * The demo cluster: an embedded Kubernetes API server on 127.0.0.1, serving the subset of the API that
 * Kube Token Lens uses, with upstream semantics and JSON shapes (DESIGN.md "Cluster layer").
 *
 * It speaks HTTPS (node:https, the node:http request/response API over TLS) with a self-signed
 * certificate that its kubeconfig trusts: client-go, hence kubectl, never sends a bearer token to a
 * plain-HTTP server, and the server requires one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { createSelfSignedCert } from './selfSignedCert';
import { decodeProtobufBody } from './protobuf';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { stringify as yamlStringify } from 'yaml';
import { buildContent, DEFAULT_ISSUER, DEMO_ANNOTATIONS, Rand, rfc3339, type KObject, type Pod, type Secret } from './objects';
import { createSigner, type KeyAlg } from './signer';
import { RESOURCES, Store, type ResourceName } from './store';
import { TokenService, type ApiServerFlags, type DemoPodToken, type UserInfo } from './tokens';
import { DemoFaults, type RequestTarget } from './faults';
import { apiGroup, apiGroupList, apiVersions, AUTH_GROUP, authorizationApiGroup, authorizationResources, authResources, coreResources, toTable, VERSION_INFO, wantsTable, type IncludeObject } from './discovery';
import { AUTHORIZATION_GROUP, selfSubjectAccessReview } from './accessReview';
import {
  ApiError,
  badRequest,
  core,
  forbidden,
  forbiddenPath,
  internalError,
  methodNotAllowed,
  notFound,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
  type Status,
} from './status';

export interface DemoClusterOptions {
  /** Port on 127.0.0.1; default 0 (a free port chosen by the OS). */
  port?: number;
  /** Extra generated pods besides the curated ones (default 0). */
  pods?: number;
  /** Namespace for the generated pods; default spread over "shop" and "payments". */
  podNamespace?: string;
  /** The clock (ms since the epoch); default Date.now. */
  now?: () => number;
  /** Signing key algorithm; default RS256. */
  keyAlg?: KeyAlg;
  /** Seed of the generated names and UIDs (default 1). */
  seed?: number;
  /** kube-apiserver flags (SPEC D.4). */
  apiServer?: Partial<ApiServerFlags>;
  /** The admin bearer token; default a random one. */
  adminToken?: string;
}

export const DEMO_CONTEXT = 'kube-token-lens-demo';
export const DEMO_CLUSTER = 'demo';
export const DEMO_USER = 'demo';
/** The admin's user name in messages (e.g. 403s). */
export const DEMO_ADMIN_NAME = 'demo';

export interface DemoCluster {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The server's self-signed certificate (PEM): the CA to trust. */
  caCertPem: string;
  port: number;
  adminToken: string;
  issuer: string;
  /** A kubeconfig (YAML) for this server: cluster "demo", user "demo", context `contextName`. */
  kubeconfigYaml(contextName?: string): string;
  faults: DemoFaults;
  store: Store;
  tokens: TokenService;
  /** The tokens the demo kubelet has written into a pod's projected volumes right now. */
  demoTokens(namespace: string, podName: string): Promise<DemoPodToken[]>;
  /** Deletes a pod (its tokens stop authenticating). */
  deletePod(namespace: string, name: string): boolean;
  /** Adds a pod named `name` made like the pod `like` (same spec, new UID, created now): for tests and demos. */
  addPod(namespace: string, like: string, name: string): Pod | undefined;
  /** Deletes and recreates a pod under the same name with a new UID. */
  recreatePod(namespace: string, name: string): Pod | undefined;
  deleteServiceAccount(namespace: string, name: string): boolean;
  /** Expires every continue token issued so far (an etcd compaction). */
  compact(): void;
  /** Number of requests served (for tests and benchmarks). */
  readonly requestCount: number;
  stop(): Promise<void>;
}

interface RequestInfo extends RequestTarget {
  isResource: boolean;
  path: string;
  group: string;
  version: string;
  resourceOnly?: string;
  name?: string;
  subresource?: string;
  demo?: boolean;
}

const VERBS: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', HEAD: 'get' };

function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter((p) => p !== '');
  let verb = VERBS[method] ?? method.toLowerCase();
  const base: RequestInfo = { isResource: false, path, group: '', version: '', verb };
  let rest: string[];
  let demo = false;
  if (parts[0] === 'api' && parts.length >= 3) {
    base.version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    base.group = parts[1] as string;
    base.version = parts[2] as string;
    rest = parts.slice(3);
  } else if (parts[0] === 'demo' && parts.length >= 3) {
    base.group = 'demo.kube-token-lens.io';
    base.version = parts[1] as string;
    rest = parts.slice(2);
    demo = true;
  } else {
    return base;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest as [string, string | undefined, string | undefined];
  if (name === undefined && method === 'GET') verb = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? 'watch' : 'list';
  if (name === undefined && method === 'DELETE') verb = 'deletecollection';
  const info: RequestInfo = { ...base, isResource: true, verb, resourceOnly: resource, resource: subresource ? `${resource}/${subresource}` : resource, demo };
  if (namespace !== undefined) info.namespace = namespace;
  else if (resource === 'namespaces' && name !== undefined) info.namespace = name;
  if (name !== undefined) info.name = name;
  if (subresource !== undefined) info.subresource = subresource;
  if (rest.length > 3) info.resource = rest.join('/'); // unknown deeper path: never matches a route
  return info;
}

const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);
const DISCOVERY_PATHS = new Set([
  '/api',
  '/api/',
  '/api/v1',
  '/apis',
  '/apis/',
  `/apis/${AUTH_GROUP}`,
  `/apis/${AUTH_GROUP}/v1`,
  `/apis/${AUTHORIZATION_GROUP}`,
  `/apis/${AUTHORIZATION_GROUP}/v1`,
  '/.well-known/openid-configuration',
  '/openid/v1/jwks',
]);
/** Every authenticated user may ask what they may do (upstream's system:basic-user ClusterRole). */
const SELF_REVIEW_PATHS = new Set([`/apis/${AUTHORIZATION_GROUP}/v1/selfsubjectaccessreviews`]);
const MAX_BODY = 3 * 1024 * 1024;
/** Past this much of an oversized body the connection is dropped instead of drained. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let tooLarge = false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (tooLarge) {
        // Discard the rest so the 413 reaches the client; a sender that never stops is cut off.
        if (size > DISCARD_LIMIT) req.destroy();
        return;
      }
      if (size > MAX_BODY) {
        tooLarge = true;
        chunks.length = 0;
        reject(new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the request is too large', reason: 'RequestEntityTooLarge', code: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startDemoCluster(opts: DemoClusterOptions = {}): Promise<DemoCluster> {
  const now = opts.now ?? (() => Date.now());
  const seed = opts.seed ?? 1;
  const startMs = now();
  const issuer = opts.apiServer?.issuer ?? DEFAULT_ISSUER;
  const flags: ApiServerFlags = {
    issuer,
    audiences: opts.apiServer?.audiences ?? [issuer],
    maxTokenExpirationSeconds: opts.apiServer?.maxTokenExpirationSeconds ?? 0,
    extendTokenExpiration: opts.apiServer?.extendTokenExpiration ?? true,
  };
  const pods = opts.pods ?? 0;
  if (!Number.isInteger(pods) || pods < 0) throw new Error(`pods must be a whole number ≥ 0, got ${pods}`);
  const adminToken = opts.adminToken ?? `ktl-demo-admin.${randomBytes(24).toString('base64url')}`;

  const content = buildContent({ nowMs: startMs, seed, pods, ...(opts.podNamespace ? { podNamespace: opts.podNamespace } : {}) });
  const store = new Store(now);
  store.bulkLoad('namespaces', content.namespaces);
  store.bulkLoad('nodes', content.nodes);
  store.bulkLoad('serviceaccounts', content.serviceAccounts);
  store.bulkLoad('pods', content.pods);
  const signer = await createSigner(opts.keyAlg ?? 'RS256');
  const tokens = new TokenService(store, signer, flags, now, seed);
  // The legacy Secret's token, signed by the same key as the token controller would have.
  const legacy = content.secrets.find((s) => s.metadata.name === content.legacySecret.name) as Secret;
  const legacySa = store.get('serviceaccounts', content.legacySecret.serviceAccount, content.legacySecret.namespace) as KObject;
  const legacyToken = await tokens.mintLegacyToken(legacy, legacySa);
  legacy.data = {
    'ca.crt': Buffer.from('# the demo cluster serves plain HTTP on 127.0.0.1: there is no CA certificate\n').toString('base64'),
    namespace: Buffer.from(content.legacySecret.namespace).toString('base64'),
    token: Buffer.from(legacyToken).toString('base64'),
  };
  store.bulkLoad('secrets', content.secrets);

  const faults = new DemoFaults();
  const rand = new Rand(seed ^ 0x5eed);
  let requestCount = 0;
  let port = 0;

  async function authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    const token = m[1] as string;
    if (token === adminToken) return { username: DEMO_ADMIN_NAME, groups: ['system:masters', 'system:authenticated'] };
    const result = await tokens.authenticate(token);
    return result.ok ? result.user : undefined;
  }

  function forbid(user: string, info: RequestInfo): ApiError {
    if (!info.isResource) return forbiddenPath(user, info.verb, info.path);
    const o: Parameters<typeof forbidden>[0] = { user, verb: info.verb, group: info.group, resource: info.resourceOnly ?? '' };
    if (info.subresource) o.subresource = info.subresource;
    if (info.name) o.name = info.name;
    if (info.namespace) o.namespace = info.namespace;
    return forbidden(o);
  }

  function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Audit-Id': rand.uid(),
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendStatus(res: ServerResponse, status: Status): void {
    const headers: Record<string, string> = {};
    if (status.code === 401) headers['Www-Authenticate'] = 'Bearer realm="kubernetes-api"';
    send(res, status.code, status, headers);
  }

  function listResponse(resource: ResourceName, info: RequestInfo, url: URL, accept: string | undefined): unknown {
    const q = url.searchParams;
    const limitText = q.get('limit');
    let limit: number | undefined;
    if (limitText !== null && limitText !== '') {
      limit = Number(limitText);
      if (!Number.isInteger(limit)) throw badRequest(`invalid limit: strconv.ParseInt: parsing "${limitText}": invalid syntax`);
    }
    const result = store.list(resource, {
      ...(info.namespace !== undefined && RESOURCES[resource].namespaced ? { namespace: info.namespace } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(q.get('continue') ? { continueToken: q.get('continue') as string } : {}),
      ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector') as string } : {}),
      ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector') as string } : {}),
    });
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: result.resourceVersion };
    if (result.continueToken) meta.continue = result.continueToken;
    if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
    if (wantsTable(accept)) {
      const include = (q.get('includeObject') as IncludeObject | null) ?? 'Metadata';
      return toTable(resource, result.items, meta, now(), include);
    }
    return { kind: RESOURCES[resource].listKind, apiVersion: 'v1', metadata: meta, items: result.items };
  }

  function getResponse(resource: ResourceName, info: RequestInfo, url: URL, accept: string | undefined): unknown {
    const name = info.name as string;
    const obj = store.get(resource, name, info.namespace);
    if (!obj) throw notFound(core(resource), name);
    if (wantsTable(accept)) {
      return toTable(resource, [obj], { resourceVersion: '' }, now(), (url.searchParams.get('includeObject') as IncludeObject | null) ?? 'Metadata');
    }
    return obj;
  }

  /** The request body as JSON; kubectl's typed clients send protobuf, which is decoded for `kind`. */
  async function requestBody(req: IncomingMessage, kind: string): Promise<unknown> {
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim() ?? '';
    if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufBody(await readBody(req), kind);
    if (type !== 'application/json' && type !== '*/*' && type !== '') throw unsupportedMediaType(type);
    const text = (await readBody(req)).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * A watch (GET …?watch=true): newline-delimited JSON events, as the API server streams them. From
   * `resourceVersion` when given (410 Expired as an ERROR event when it is too old), else ADDED for every
   * current object first; `timeoutSeconds` ends the stream. Selectors are not supported here.
   */
  function watchResponse(req: IncomingMessage, res: ServerResponse, resource: ResourceName, info: RequestInfo, url: URL): void {
    const q = url.searchParams;
    if (q.get('labelSelector') || q.get('fieldSelector')) throw badRequest('the demo cluster does not support selectors on watch');
    const rvText = q.get('resourceVersion') ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) throw badRequest(`invalid resourceVersion: ${rvText}`);
    const namespaced = RESOURCES[resource].namespaced;
    const matches = (o: KObject): boolean => info.namespace === undefined || !namespaced || o.metadata.namespace === info.namespace;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders(); // the client's watch() resolves on the headers, before any event
    const write = (type: string, object: unknown): void => {
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    let since = rvText === '' || rvText === '0' ? store.resourceVersion : Number(rvText);
    if (rvText === '' || rvText === '0') {
      for (const o of store.list(resource, info.namespace !== undefined && namespaced ? { namespace: info.namespace } : {}).items) write('ADDED', o);
      since = store.resourceVersion;
    }
    const stop = store.watch(since, (e) => {
      if (e.resource === resource && matches(e.object)) write(e.type, e.object);
    });
    if (stop === 'gone') {
      write('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rvText} (${store.resourceVersion})`, reason: 'Expired', code: 410 });
      res.end();
      return;
    }
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '');
    const timer = Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
    const close = (): void => {
      stop();
      if (timer) clearTimeout(timer);
    };
    req.on('close', close);
    res.on('close', close);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, user: UserInfo): Promise<void> {
    const method = req.method ?? 'GET';
    const accept = req.headers.accept;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (!info.isResource) {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
      switch (path) {
        case '/api':
          return send(res, 200, apiVersions(`127.0.0.1:${port}`));
        case '/api/v1':
          return send(res, 200, coreResources(faults.tokenRequestEnabled));
        case '/apis':
          return send(res, 200, apiGroupList(faults.accessReviewEnabled));
        case `/apis/${AUTH_GROUP}/v1`:
          return send(res, 200, authResources());
        case `/apis/${AUTH_GROUP}`:
          return send(res, 200, apiGroup());
        case `/apis/${AUTHORIZATION_GROUP}/v1`:
          if (!faults.accessReviewEnabled) throw pathNotFound();
          return send(res, 200, authorizationResources());
        case `/apis/${AUTHORIZATION_GROUP}`:
          if (!faults.accessReviewEnabled) throw pathNotFound();
          return send(res, 200, authorizationApiGroup());
        case '/.well-known/openid-configuration':
          return send(res, 200, {
            issuer: flags.issuer,
            jwks_uri: `${flags.issuer}/openid/v1/jwks`,
            response_types_supported: ['id_token'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: [signer.alg],
          });
        case '/openid/v1/jwks':
          return send(res, 200, tokens.jwks, { 'Content-Type': 'application/jwk-set+json' });
        default:
          throw pathNotFound();
      }
    }

    // Demo-only: what the demo kubelet put in a pod (a stand-in for `kubectl exec … cat <token file>`).
    if (info.demo && info.version === 'v1' && info.resourceOnly === 'pods' && info.namespace && info.name && (info.subresource === 'tokens' || info.subresource === 'file')) {
      if (method !== 'GET') throw methodNotAllowed();
      const pod = store.get('pods', info.name, info.namespace) as Pod | undefined;
      if (!pod) throw notFound(core('pods'), info.name);
      const items = await tokens.podTokens(pod);
      if (info.subresource === 'tokens') return send(res, 200, { kind: 'DemoPodTokenList', apiVersion: 'demo.kube-token-lens.io/v1', items });
      return send(res, 200, readPodFile(pod, items, url));
    }

    if (info.group === '' && info.version === 'v1') {
      const resource = info.resourceOnly as ResourceName;
      if (!Object.hasOwn(RESOURCES, resource)) throw pathNotFound();
      const namespaced = RESOURCES[resource].namespaced;
      if (info.subresource === 'token' && resource === 'serviceaccounts' && info.namespace && info.name) {
        if (!faults.tokenRequestEnabled) throw pathNotFound();
        if (method !== 'POST') throw methodNotAllowed();
        const { object, warnings } = await tokens.createToken(info.namespace, info.name, await requestBody(req, 'TokenRequest'));
        const headers: Record<string, string> = {};
        if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
        return send(res, 201, object, headers);
      }
      if (info.subresource !== undefined || (namespaced && info.name !== undefined && info.namespace === undefined)) throw pathNotFound();
      if (!namespaced && info.namespace !== undefined && resource !== 'namespaces') throw pathNotFound();
      if (info.verb === 'watch') return watchResponse(req, res, resource, info, url);
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
      if (info.name === undefined) return send(res, 200, listResponse(resource, info, url, accept));
      return send(res, 200, getResponse(resource, info, url, accept));
    }
    if (info.group === AUTH_GROUP && info.version === 'v1') {
      if (info.resource === 'tokenreviews' && !info.namespace && !info.name) {
        if (method !== 'POST') throw methodNotAllowed();
        return send(res, 201, await tokens.tokenReview(await requestBody(req, 'TokenReview')));
      }
      if (info.resource === 'selfsubjectreviews' && !info.namespace && !info.name) {
        if (method !== 'POST') throw methodNotAllowed();
        await requestBody(req, 'SelfSubjectReview');
        return send(res, 201, { kind: 'SelfSubjectReview', apiVersion: `${AUTH_GROUP}/v1`, metadata: { creationTimestamp: null }, status: { userInfo: user } });
      }
    }
    if (info.group === AUTHORIZATION_GROUP && info.version === 'v1' && faults.accessReviewEnabled) {
      if (info.resource === 'selfsubjectaccessreviews' && !info.namespace && !info.name) {
        if (method !== 'POST') throw methodNotAllowed();
        const body = await requestBody(req, 'SelfSubjectAccessReview');
        return send(res, 201, selfSubjectAccessReview(body, user.username === DEMO_ADMIN_NAME, faults));
      }
    }
    throw pathNotFound();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requestCount++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const info = requestInfo(req.method ?? 'GET', url);
    const { latencyMs, failure } = faults.evaluate(info);
    if (latencyMs > 0) await sleep(latencyMs);
    if (failure?.fail === 'drop') {
      req.socket.destroy();
      return;
    }
    try {
      if (failure?.fail === 401) throw unauthorized();
      const path = url.pathname;
      let user: UserInfo | undefined;
      if (!PUBLIC_PATHS.has(path)) {
        user = await authenticate(req);
        if (!user) throw unauthorized();
      }
      const userName = user?.username ?? 'system:anonymous';
      if (failure?.fail === 403) throw forbid(userName, info);
      if (failure?.fail === 500) throw internalError(failure.message ?? 'demo fault: injected internal error');
      if (PUBLIC_PATHS.has(path)) {
        if (path.startsWith('/version')) return send(res, 200, VERSION_INFO);
        return send(res, 200, 'ok');
      }
      const admin = user?.username === DEMO_ADMIN_NAME;
      // Service-account tokens authenticate, but RBAC grants them only discovery (system:discovery,
      // system:service-account-issuer-discovery): everything else is forbidden.
      const discovery = !info.isResource || DISCOVERY_PATHS.has(path) || SELF_REVIEW_PATHS.has(path);
      if (!admin && !discovery) throw forbid(userName, info);
      await route(req, res, url, info, user as UserInfo);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof ApiError) return sendStatus(res, err.status);
      const message = err instanceof Error ? err.message : String(err);
      return sendStatus(res, internalError(message).status);
    }
  }

  const sockets = new Set<Socket>();
  const tls = createSelfSignedCert();
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  const cluster: DemoCluster = {
    url,
    caCertPem: tls.certPem,
    port,
    adminToken,
    issuer: flags.issuer,
    faults,
    store,
    tokens,
    get requestCount() {
      return requestCount;
    },
    kubeconfigYaml(contextName = DEMO_CONTEXT) {
      return yamlStringify({
        apiVersion: 'v1',
        kind: 'Config',
        preferences: {},
        clusters: [{ name: DEMO_CLUSTER, cluster: { server: url, 'certificate-authority-data': Buffer.from(tls.certPem).toString('base64') } }],
        users: [{ name: DEMO_USER, user: { token: adminToken } }],
        contexts: [{ name: contextName, context: { cluster: DEMO_CLUSTER, user: DEMO_USER } }],
        'current-context': contextName,
      });
    },
    async demoTokens(namespace, podName) {
      const pod = store.get('pods', podName, namespace) as Pod | undefined;
      if (!pod) throw notFound(core('pods'), podName);
      return tokens.podTokens(pod);
    },
    deletePod(namespace, name) {
      return store.delete('pods', name, namespace) !== undefined;
    },
    addPod(namespace, like, name) {
      const model = store.get('pods', like, namespace) as Pod | undefined;
      if (!model || store.get('pods', name, namespace)) return undefined;
      const fresh = structuredClone(model);
      fresh.metadata.name = name;
      fresh.metadata.uid = rand.uid();
      fresh.metadata.creationTimestamp = rfc3339(now());
      const annotations = fresh.metadata.annotations ?? {};
      // Its kubelet requested its tokens just now.
      if (annotations[DEMO_ANNOTATIONS.tokensRequestedAt] !== undefined) annotations[DEMO_ANNOTATIONS.tokensRequestedAt] = rfc3339(now());
      return store.put('pods', fresh) as Pod;
    },
    recreatePod(namespace, name) {
      const old = store.get('pods', name, namespace) as Pod | undefined;
      if (!old) return undefined;
      store.delete('pods', name, namespace);
      const fresh = structuredClone(old);
      fresh.metadata.uid = rand.uid();
      fresh.metadata.creationTimestamp = rfc3339(now());
      return store.put('pods', fresh) as Pod;
    },
    deleteServiceAccount(namespace, name) {
      return store.delete('serviceaccounts', name, namespace) !== undefined;
    },
    compact() {
      store.compact();
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
  return cluster;
}

/** Emulates reading a file of a projected volume in a container (`kubectl exec <pod> -c <c> -- cat <path>`). */
function readPodFile(pod: Pod, items: DemoPodToken[], url: URL): string {
  const container = url.searchParams.get('container') ?? pod.spec.containers[0]?.name ?? '';
  const path = url.searchParams.get('path') ?? '';
  const c = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === container);
  if (!c) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  for (const t of items) {
    if (t.mounts.some((m) => m.container === container && m.file === path)) return t.token;
  }
  for (const m of c.volumeMounts ?? []) {
    if (path === `${m.mountPath}/namespace`) return pod.metadata.namespace ?? '';
  }
  throw new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `cat: can't open '${path}': No such file or directory`,
    reason: 'NotFound',
    details: { name: pod.metadata.name, kind: 'pods' },
    code: 404,
  });
}
