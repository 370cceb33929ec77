/**
 * Service-account tokens in the demo API server: TokenRequest (SPEC D.1, with the rules of the
 * simulation's issuer model, src/sim/apiserver/tokenIssuer.ts), TokenReview and request authentication
 * (SPEC D.2 validation), the legacy Secret token, and the tokens the demo kubelet has put in each pod.
 */
import { randomUUID } from 'node:crypto';
import { TokenIssuer, statusExpiration, type IssuerConfig, type TokenClaims } from '../../sim/apiserver/tokenIssuer';
import { DEFAULT_EXPIRATION_SECONDS, MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS, type TokenRequest as SimTokenRequest } from '../../sim/apiserver/tokenRequest';
import { refreshWindow } from '../../sim/kubelet/tokenManager';
import { createStream } from '../../sim/random';
import { decodeJwt } from '../../token/decode';
import { verifyJwt } from '../../token/verify';
import { LEGACY_ISSUER } from '../../token/claims';
import { DEMO_ANNOTATIONS, rfc3339, type KObject, type Pod, type Secret } from './objects';
import type { DemoSigner } from './signer';
import type { Store } from './store';
import { ApiError, badRequest, conflict, core, invalid, notFound, type FieldError, type Status } from './status';

export interface ApiServerFlags {
  /** --service-account-issuer (first value). */
  issuer: string;
  /** --api-audiences; default [issuer]. */
  audiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 = no cap. */
  maxTokenExpirationSeconds: number;
  /** --service-account-extend-token-expiration (default true). */
  extendTokenExpiration: boolean;
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type AuthResult = { ok: true; user: UserInfo; audiences: string[] } | { ok: false; error: string };

/** The JSON of a TokenRequest (authentication.k8s.io/v1) as the server returns it. */
export interface TokenRequestObject {
  kind: 'TokenRequest';
  apiVersion: 'authentication.k8s.io/v1';
  metadata: { name: string; namespace: string; creationTimestamp: null };
  spec: { audiences: string[]; expirationSeconds: number; boundObjectRef: { kind: string; apiVersion: string; name: string; uid: string } | null };
  status: { token: string; expirationTimestamp: string };
}

/** A projected token as the demo kubelet last wrote it into a pod. */
export interface DemoPodToken {
  volume: string;
  /** Index of the serviceAccountToken source within the projected volume. */
  sourceIndex: number;
  /** File name inside the volume. */
  path: string;
  /** Undefined: no audience given, so the API server's audiences. */
  audience?: string;
  expirationSeconds: number;
  /** Where each container sees it. */
  mounts: Array<{ container: string; mountPath: string; file: string }>;
  kubelet: 'running' | 'stopped';
  /** When the kubelet requested this token (RFC 3339). */
  requestedAt: string;
  /** The status.expirationTimestamp the kubelet stored (requestedAt + expirationSeconds). */
  statusExpirationTimestamp: string;
  token: string;
}


/** Go's encoding/json error for a value of the wrong JSON type, as the API server wraps it (400). */
function undecodable(value: unknown, field: string, goType: string): string {
  const jsonType = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
  return `TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal ${jsonType} into Go struct field TokenRequestSpec.${field} of type ${goType}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class TokenService {
  private readonly issuer: TokenIssuer;
  private readonly podTokenCache = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly signer: DemoSigner,
    readonly flags: ApiServerFlags,
    private readonly now: () => number,
    seed: number,
  ) {
    const config: IssuerConfig = {
      issuer: flags.issuer,
      audiences: flags.audiences,
      maxTokenExpirationSeconds: flags.maxTokenExpirationSeconds,
      extendTokenExpiration: flags.extendTokenExpiration,
      serviceAccountUid: (namespace, name) => this.store.get('serviceaccounts', name, namespace)?.metadata.uid ?? '',
      signingKeyId: () => signer.kid,
    };
    // Throws "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds" like kube-apiserver at startup.
    this.issuer = new TokenIssuer(config, { now }, createStream(seed, 'demo-apiserver'));
  }

  get jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [this.signer.publicJwk as Record<string, unknown>] };
  }

  // -------------------------------------------------------------------------------------------
  // TokenRequest: POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token

  async createToken(namespace: string, name: string, body: unknown): Promise<{ object: TokenRequestObject; warnings: string[] }> {
    if (!isRecord(body)) throw badRequest('the object provided is unrecognized (must be of type TokenRequest)');
    if (body.kind !== undefined && body.kind !== 'TokenRequest') {
      throw badRequest(`the object provided is unrecognized (must be of type TokenRequest): kind ${JSON.stringify(body.kind)}`);
    }
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    // SPEC D.1 step 1: a name or namespace in the body must be the URL's (422 Invalid).
    const mismatch: FieldError[] = [];
    if (typeof metadata.name === 'string' && metadata.name !== '' && metadata.name !== name) {
      mismatch.push({ field: 'metadata.name', value: metadata.name, detail: 'must match the service account name if specified' });
    }
    if (typeof metadata.namespace === 'string' && metadata.namespace !== '' && metadata.namespace !== namespace) {
      mismatch.push({ field: 'metadata.namespace', value: metadata.namespace, detail: 'must match the service account namespace if specified' });
    }
    if (mismatch.length > 0) throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, mismatch);
    // SPEC D.1 step 2: the service account is read before the spec is validated (404 first).
    const sa = this.store.get('serviceaccounts', name, namespace);
    if (!sa) throw notFound(core('serviceaccounts'), name);
    const spec = isRecord(body.spec) ? body.spec : {};
    const tr: SimTokenRequest = { spec: {} };
    if (spec.audiences !== undefined && spec.audiences !== null) {
      // The body is decoded into []string as Go's encoding/json would: anything else is a 400.
      if (!Array.isArray(spec.audiences)) throw badRequest(undecodable(spec.audiences, 'spec.audiences', '[]string'));
      const notText = spec.audiences.find((a) => typeof a !== 'string');
      if (notText !== undefined) throw badRequest(undecodable(notText, 'spec.audiences', 'string'));
      tr.spec.audiences = spec.audiences as string[];
    }
    if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null) {
      if (typeof spec.expirationSeconds !== 'number' || !Number.isInteger(spec.expirationSeconds)) {
        throw badRequest(undecodable(spec.expirationSeconds, 'spec.expirationSeconds', 'int64'));
      }
      tr.spec.expirationSeconds = spec.expirationSeconds;
    } else {
      tr.spec.expirationSeconds = DEFAULT_EXPIRATION_SECONDS; // API defaulting (SPEC D.1 step 5)
    }
    const ref = isRecord(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
    if (ref) {
      tr.spec.boundObjectRef = {};
      for (const f of ['kind', 'apiVersion', 'name', 'uid'] as const) if (typeof ref[f] === 'string') tr.spec.boundObjectRef[f] = ref[f] as string;
    }
    const es = tr.spec.expirationSeconds;
    // SPEC D.1 step 5: validation of the defaulted spec (before the max-expiration clamp).
    if (es < MIN_EXPIRATION_SECONDS || es > MAX_EXPIRATION_SECONDS) {
      throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, '', [
        { field: 'spec.expirationSeconds', value: es, detail: es < MIN_EXPIRATION_SECONDS ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds' },
      ]);
    }
    if (typeof metadata.uid === 'string' && metadata.uid !== '') tr.metadata = { uid: metadata.uid };

    const plan = this.issuer.plan(namespace, name, tr);
    if (!plan.ok) {
      if (plan.code === 409) throw conflict(core('serviceaccounts'), name, plan.error.replace(/^Operation cannot be fulfilled on [^:]+: /, ''));
      if (plan.code === 400) throw badRequest(plan.error);
      throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: plan.error, reason: plan.reason as Status['reason'], code: plan.code });
    }
    // Bound object (SPEC D.1 step 6).
    let pod: Pod | undefined;
    let secret: Secret | undefined;
    let node: KObject | undefined;
    const bound = tr.spec.boundObjectRef;
    if (bound) {
      const refName = bound.name ?? '';
      let uid = '';
      if (bound.kind === 'Pod') {
        pod = this.store.get('pods', refName, namespace) as Pod | undefined;
        if (!pod) throw notFound(core('pods'), refName);
        if (pod.spec.serviceAccountName !== name) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
        uid = pod.metadata.uid;
      } else if (bound.kind === 'Secret') {
        secret = this.store.get('secrets', refName, namespace) as Secret | undefined;
        if (!secret) throw notFound(core('secrets'), refName);
        uid = secret.metadata.uid;
      } else if (bound.kind === 'Node') {
        node = this.store.get('nodes', refName);
        if (!node) throw notFound(core('nodes'), refName);
        uid = node.metadata.uid;
      }
      if (bound.uid !== undefined && bound.uid !== '' && bound.uid !== uid) {
        throw conflict(
          { group: '', resource: bound.kind ?? '' },
          refName,
          `the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
      bound.uid = uid;
    }
    const nowMs = this.now();
    const token = await this.sign(nowMs, namespace, sa, plan.audiences, plan.jwtLifetimeSeconds, plan.extended, { pod, secret, node });
    return {
      object: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace, creationTimestamp: null },
        spec: {
          audiences: plan.audiences,
          expirationSeconds: plan.expirationSeconds,
          boundObjectRef: bound ? { kind: bound.kind ?? '', apiVersion: bound.apiVersion ?? '', name: bound.name ?? '', uid: bound.uid ?? '' } : null,
        },
        // SPEC D.1 step 9: the requested (post-clamp, pre-extension) lifetime.
        status: { token, expirationTimestamp: rfc3339(statusExpiration(nowMs, plan.expirationSeconds)) },
      },
      warnings: plan.warnings,
    };
  }

  /** Claims per SPEC D.2 (the shape of the issuer model's TokenClaims, plus the node of a pod-bound token). */
  private async sign(
    nowMs: number,
    namespace: string,
    sa: KObject,
    audiences: string[],
    lifetimeSeconds: number,
    extended: boolean,
    bound: { pod?: Pod; secret?: Secret; node?: KObject },
  ): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    const k8s: TokenClaims['kubernetes.io'] = { namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid } };
    if (bound.pod) {
      k8s.pod = { name: bound.pod.metadata.name, uid: bound.pod.metadata.uid };
      // ServiceAccountTokenPodNodeInfo: the pod's node; its uid only if the Node exists.
      const nodeName = bound.pod.spec.nodeName;
      if (nodeName) {
        const n = this.store.get('nodes', nodeName);
        k8s.node = n ? { name: nodeName, uid: n.metadata.uid } : ({ name: nodeName } as { name: string; uid: string });
      }
    } else if (bound.secret) {
      k8s.secret = { name: bound.secret.metadata.name, uid: bound.secret.metadata.uid };
    } else if (bound.node) {
      k8s.node = { name: bound.node.metadata.name, uid: bound.node.metadata.uid };
    }
    if (extended) k8s.warnafter = iat + 3607;
    const claims: TokenClaims = {
      iss: this.flags.issuer,
      sub: `system:serviceaccount:${namespace}:${sa.metadata.name}`,
      aud: audiences,
      iat,
      nbf: iat,
      exp: iat + lifetimeSeconds,
      jti: randomUUID(),
      'kubernetes.io': k8s,
    };
    return this.signer.sign(claims as unknown as Record<string, unknown>);
  }

  /** The token the (pre-1.24) token controller put in a kubernetes.io/service-account-token Secret. */
  mintLegacyToken(secret: Secret, sa: KObject): Promise<string> {
    const ns = secret.metadata.namespace ?? '';
    return this.signer.sign({
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': ns,
      'kubernetes.io/serviceaccount/secret.name': secret.metadata.name,
      'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: `system:serviceaccount:${ns}:${sa.metadata.name}`,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Authentication (TokenReview and bearer tokens): SPEC D.2 validation.

  async authenticate(token: string, wantAudiences?: string[]): Promise<AuthResult> {
    const decoded = decodeJwt(token);
    if (!decoded.ok) return { ok: false, error: '' };
    const iss = decoded.payload.iss;
    const legacy = iss === LEGACY_ISSUER;
    if (iss !== this.flags.issuer && !legacy) return { ok: false, error: '' }; // not ours: no authenticator claims it
    const nowMs = this.now();
    const verified = await verifyJwt(decoded.token, this.jwks, { nowMs });
    if (!verified.ok) {
      switch (verified.kind) {
        case 'expired':
          return { ok: false, error: 'service account token has expired' };
        case 'notYetValid':
          return { ok: false, error: 'service account token is not valid yet' };
        case 'issuedInFuture':
          return { ok: false, error: 'service account token is issued in the future' };
        default:
          return { ok: false, error: 'go-jose/go-jose: error in cryptographic primitive' };
      }
    }
    const p = decoded.payload;
    const apiAuds = wantAudiences && wantAudiences.length > 0 ? wantAudiences : this.flags.audiences;
    if (legacy) return this.validateLegacy(decoded.token, p, apiAuds);
    const tokenAuds = typeof p.aud === 'string' ? [p.aud] : (p.aud ?? []);
    const matched = apiAuds.filter((a) => tokenAuds.includes(a));
    if (matched.length === 0) {
      return { ok: false, error: `token audiences ${goList(tokenAuds)} is invalid for the target audiences ${goList(apiAuds)}` };
    }
    const k = isRecord(p['kubernetes.io']) ? (p['kubernetes.io'] as Record<string, unknown>) : {};
    const ns = typeof k.namespace === 'string' ? k.namespace : '';
    const saRef = isRecord(k.serviceaccount) ? k.serviceaccount : {};
    const sa = this.store.get('serviceaccounts', String(saRef.name ?? ''), ns);
    if (!sa) return { ok: false, error: `serviceaccounts "${String(saRef.name ?? '')}" not found` };
    if (sa.metadata.uid !== saRef.uid) return { ok: false, error: `service account UID (${sa.metadata.uid}) does not match claim (${String(saRef.uid)})` };
    const extra: Record<string, string[]> = {};
    for (const [claim, kind] of [
      ['secret', 'secrets'],
      ['pod', 'pods'],
    ] as const) {
      const ref = k[claim];
      if (!isRecord(ref)) continue;
      const obj = this.store.get(kind, String(ref.name ?? ''), ns);
      if (!obj) return { ok: false, error: 'service account token has been invalidated' };
      if (obj.metadata.uid !== ref.uid) {
        return { ok: false, error: `${claim} UID (${obj.metadata.uid}) does not match service account ${claim} ref claim (${String(ref.uid)})` };
      }
      if (claim === 'pod') {
        extra['authentication.kubernetes.io/pod-name'] = [String(ref.name)];
        extra['authentication.kubernetes.io/pod-uid'] = [String(ref.uid)];
      }
    }
    if (isRecord(k.node)) {
      const nodeRef = k.node;
      if (!isRecord(k.pod)) {
        // A node-bound token: the node must still exist with the same UID.
        const n = this.store.get('nodes', String(nodeRef.name ?? ''));
        if (!n) return { ok: false, error: 'service account token has been invalidated' };
        if (n.metadata.uid !== nodeRef.uid) return { ok: false, error: `node UID (${n.metadata.uid}) does not match service account node ref claim (${String(nodeRef.uid)})` };
      }
      extra['authentication.kubernetes.io/node-name'] = [String(nodeRef.name)];
      if (typeof nodeRef.uid === 'string') extra['authentication.kubernetes.io/node-uid'] = [nodeRef.uid];
    }
    if (typeof p.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${p.jti}`];
    return {
      ok: true,
      user: {
        username: `system:serviceaccount:${ns}:${sa.metadata.name}`,
        uid: sa.metadata.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
        extra,
      },
      audiences: matched,
    };
  }

  private validateLegacy(token: string, p: Record<string, unknown>, audiences: string[]): AuthResult {
    const claim = (n: string) => String(p[`kubernetes.io/serviceaccount/${n}`] ?? '');
    const ns = claim('namespace');
    const secret = this.store.get('secrets', claim('secret.name'), ns) as Secret | undefined;
    if (!secret) return { ok: false, error: 'token has been invalidated' };
    if (Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8') !== token) return { ok: false, error: "token does not match server's copy" };
    const sa = this.store.get('serviceaccounts', claim('service-account.name'), ns);
    if (!sa) return { ok: false, error: `serviceaccounts "${claim('service-account.name')}" not found` };
    if (sa.metadata.uid !== claim('service-account.uid')) {
      return { ok: false, error: `service account UID (${sa.metadata.uid}) does not match claim (${claim('service-account.uid')})` };
    }
    return {
      ok: true,
      user: {
        username: `system:serviceaccount:${ns}:${sa.metadata.name}`,
        uid: sa.metadata.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [`token-secret=${secret.metadata.name}`] },
      },
      // Legacy tokens have no audience: the authenticator accepts them for whatever was asked.
      audiences,
    };
  }

  /** POST /apis/authentication.k8s.io/v1/tokenreviews */
  async tokenReview(body: unknown): Promise<Record<string, unknown>> {
    if (!isRecord(body) || !isRecord(body.spec)) throw badRequest('the object provided is unrecognized (must be of type TokenReview)');
    const spec = body.spec;
    const token = typeof spec.token === 'string' ? spec.token : '';
    if (token === '') {
      throw invalid({ group: 'authentication.k8s.io', kind: 'TokenReview' }, '', [{ field: 'spec.token', value: '', detail: 'token is required' }]);
    }
    const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
    const result = await this.authenticate(token, audiences);
    const outSpec: Record<string, unknown> = { token };
    if (audiences.length) outSpec.audiences = audiences;
    const status: Record<string, unknown> = result.ok
      ? { authenticated: true, user: result.user, audiences: result.audiences }
      : { user: {}, ...(result.error ? { error: result.error } : {}) };
    return {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: outSpec,
      status,
    };
  }

  // -------------------------------------------------------------------------------------------
  // The demo kubelet: the token each projected source holds right now.

  async podTokens(pod: Pod): Promise<DemoPodToken[]> {
    const annotations = pod.metadata.annotations ?? {};
    const t0 = Date.parse(annotations[DEMO_ANNOTATIONS.tokensRequestedAt] ?? '') || Date.parse(pod.metadata.creationTimestamp);
    const running = annotations[DEMO_ANNOTATIONS.kubelet] !== 'stopped';
    const nowMs = this.now();
    const out: DemoPodToken[] = [];
    const sa = this.store.get('serviceaccounts', pod.spec.serviceAccountName, pod.metadata.namespace);
    for (const volume of pod.spec.volumes ?? []) {
      const sources = volume.projected?.sources ?? [];
      for (let i = 0; i < sources.length; i++) {
        const src = sources[i]?.serviceAccountToken;
        if (!src) continue;
        const es = src.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
        // The kubelet re-requests the token every R (its refresh threshold after the request, SPEC A.5),
        // at the first pod sync after it; the demo takes the threshold itself (jitter and sync delay 0).
        const w = refreshWindow(es, t0 + es * 1000);
        const period = w.latest !== null ? w.latest - t0 : Infinity;
        let requested = t0;
        if (running && nowMs > t0 && Number.isFinite(period) && period > 0) requested = t0 + Math.max(0, Math.ceil((nowMs - t0) / period) - 1) * period;
        const key = `${pod.metadata.uid}|${volume.name}|${i}|${requested}`;
        let token = this.podTokenCache.get(key);
        if (token === undefined) {
          if (!sa) continue; // the pod's service account is gone: the kubelet cannot get a token
          const tr: SimTokenRequest = {
            spec: {
              ...(src.audience ? { audiences: [src.audience] } : {}),
              expirationSeconds: es,
              boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid },
            },
          };
          const plan = this.issuer.plan(pod.metadata.namespace ?? '', pod.spec.serviceAccountName, tr);
          if (!plan.ok) continue;
          token = await this.sign(requested, pod.metadata.namespace ?? '', sa, plan.audiences, plan.jwtLifetimeSeconds, plan.extended, { pod });
          this.podTokenCache.set(key, token);
        }
        const mounts: DemoPodToken['mounts'] = [];
        for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
          for (const m of c.volumeMounts ?? []) {
            if (m.name === volume.name) mounts.push({ container: c.name, mountPath: m.mountPath, file: `${m.mountPath.replace(/\/$/, '')}/${src.path}` });
          }
        }
        const item: DemoPodToken = {
          volume: volume.name,
          sourceIndex: i,
          path: src.path,
          expirationSeconds: es,
          mounts,
          kubelet: running ? 'running' : 'stopped',
          requestedAt: rfc3339(requested),
          statusExpirationTimestamp: rfc3339(statusExpiration(requested, es)),
          token,
        };
        if (src.audience !== undefined) item.audience = src.audience;
        out.push(item);
      }
    }
    return out;
  }
}

/** Go's %q of a []string: ["a" "b"]. */
function goList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
