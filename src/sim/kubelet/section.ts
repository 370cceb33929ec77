/**
 * The kubelet's scenario section: `kubelet` (its settings) and `pods` (the pods it runs, each with
 * its projected service-account tokens). Rules with the words editors show, defaults, cross-field
 * checks (unique pods and token paths, replica limits), replica expansion and the way back.
 */
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import { durationDefault, type JsonObject, type ObjectRule, type Rule } from '../fieldRule';
import { checkBeforeHorizon, checkPositive, childPath, itemPath, type CheckContext, type Loose, type Section } from '../section';
import { formatDuration } from '../units/duration';
import { KUBELET_VERSIONS, type KubeletSpec, type PodSpec, type TokenSource } from './kubeletSpec';
import { podUid } from './podUid';
import type { KubeletVersion } from './tokenManager';
import { kubeletWhatIf } from './whatIf';

/** The file's values for what the user leaves out; the schema publishes the same constants. */
export const KUBELET_DEFAULTS = {
  syncFrequency: '1m',
  version: '1.34',
  namespace: 'default',
  serviceAccount: 'default',
  replicas: 1,
} as const satisfies { version: KubeletVersion } & Record<string, string | number>;

/** Upper bound on pods after replica expansion: keeps a typo (replicas: 1e9) from exhausting memory. */
export const MAX_PODS = 100_000;

// The file slice as the validator hands it over (durations in ms).

export interface TokenFile {
  path: string;
  audience?: string;
  audiences?: string[];
  expirationSeconds?: number;
}

export interface PodFile {
  name: string;
  namespace?: string;
  serviceAccount?: string;
  uid?: string;
  replicas?: number;
  tokens: TokenFile[];
  deleteAt?: number;
}

export interface KubeletFile {
  kubelet?: { syncFrequency?: number; version?: KubeletVersion };
  pods?: PodFile[];
}

export interface KubeletSlice {
  kubelet: KubeletSpec;
  pods: PodSpec[];
}

const token: ObjectRule = {
  kind: 'object',
  properties: {
    path: {
      kind: 'string',
      minLength: 1,
      description: 'Path of the token file in the volume, e.g. kube-api-access/token.',
    },
    audience: { kind: 'string', description: 'One audience (as in a pod spec). Absent: the API server\'s audiences.' },
    audiences: {
      kind: 'array',
      items: { kind: 'string' },
      description: 'Several audiences. [] is not the same as absent (a different kubelet cache key).',
    },
    expirationSeconds: {
      kind: 'integer',
      minimum: MIN_EXPIRATION_SECONDS,
      maximum: MAX_EXPIRATION_SECONDS,
      hint: 'the API server rejects lifetimes under 10 minutes or over 2^32 seconds (SPEC D.1)',
      description: 'Requested lifetime in seconds. Absent: the request leaves it unset, the API server issues its default 3600 s and the kubelet refreshes the token at 80 % of that.',
    },
  },
  required: ['path'],
  exclusive: [['audience', 'audiences']],
};

const pod: ObjectRule = {
  kind: 'object',
  properties: {
    name: { kind: 'string', minLength: 1, description: 'Pod name; with replicas, the prefix of name-0 … name-(n-1).' },
    namespace: { kind: 'string', minLength: 1, default: KUBELET_DEFAULTS.namespace, description: "The pod's namespace." },
    serviceAccount: {
      kind: 'string',
      minLength: 1,
      default: KUBELET_DEFAULTS.serviceAccount,
      description: "The pod's service account: its tokens are issued for it.",
    },
    uid: {
      kind: 'string',
      minLength: 1,
      description: 'Pod UID. Default: derived from namespace/name (the same on every run). Not allowed with replicas > 1.',
    },
    replicas: {
      kind: 'integer',
      minimum: 1,
      maximum: MAX_PODS,
      default: KUBELET_DEFAULTS.replicas,
      description: 'Stamp out this many pods, name-0 … name-(n-1), each with its own UID.',
    },
    tokens: { kind: 'array', items: token, description: "The pod's serviceAccountToken projections." },
    deleteAt: { kind: 'duration', description: 'When the pod is deleted, from start.' },
  },
  required: ['name', 'tokens'],
};

const kubelet: Rule = {
  kind: 'object',
  description: 'The kubelet that runs every pod.',
  properties: {
    syncFrequency: {
      kind: 'duration',
      default: KUBELET_DEFAULTS.syncFrequency,
      description: '--sync-frequency: a pod is re-synced (and its tokens checked) every syncFrequency × [1, 1.5).',
    },
    version: {
      kind: 'string',
      enum: KUBELET_VERSIONS,
      default: KUBELET_DEFAULTS.version,
      hint: 'quote it: YAML reads an unquoted 1.20 as the number 1.2',
      description:
        'Which token-manager rules to follow: "1.19" (no jitter), "1.20" (jitter 0–9 s), "1.34" (jitter, service-account UID in the cache key). Quote it: YAML reads 1.20 as the number 1.2.',
    },
  },
};

const pods: Rule = { kind: 'array', items: pod, description: 'The pods, each with its projected service-account token sources.' };

/** Pod names after replica expansion: "web" with replicas 3 → web-0, web-1, web-2. */
export function replicaNames(name: string, replicas: number | undefined): string[] {
  if (replicas === undefined) return [name];
  return Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
}

function check(file: Loose<KubeletFile>, context: CheckContext): void {
  checkPositive(context, 'kubelet.syncFrequency', file.kubelet?.syncFrequency, 'syncFrequency');
  checkPods(file.pods, context);
}

function checkPods(list: Loose<PodFile[]> | undefined, context: CheckContext): void {
  const podsByName = new Map<string, string>();
  const podsByUid = new Map<string, string>();
  let total = 0;
  (list ?? []).forEach((pod, i) => {
    const path = itemPath('pods', i);
    if (pod === undefined) return;
    const replicas = pod.replicas;
    total += replicas ?? 1;
    if (pod.uid !== undefined && replicas !== undefined && replicas > 1) {
      context.error(
        childPath(path, 'uid'),
        'uid cannot be set when replicas > 1: each replica gets its own uid derived from its name',
        { atKey: true },
      );
    }
    if (pod.uid !== undefined) {
      const first = podsByUid.get(pod.uid);
      if (first !== undefined) context.error(childPath(path, 'uid'), `duplicate uid "${pod.uid}" (also ${first})`);
      else podsByUid.set(pod.uid, path);
    }
    checkBeforeHorizon(context, childPath(path, 'deleteAt'), pod.deleteAt, 'deleteAt');

    if (pod.name !== undefined && total <= MAX_PODS) {
      const ns = pod.namespace ?? KUBELET_DEFAULTS.namespace;
      for (const name of replicaNames(pod.name, replicas)) {
        const first = podsByName.get(`${ns}/${name}`);
        if (first !== undefined) {
          context.error(childPath(path, 'name'), `duplicate pod ${ns}/${name} (also from ${first})`);
          break;
        }
        podsByName.set(`${ns}/${name}`, path);
      }
    }

    const paths = new Map<string, string>();
    (pod.tokens ?? []).forEach((token, j) => {
      const tpath = itemPath(childPath(path, 'tokens'), j);
      if (token === undefined) return;
      if (token.path !== undefined) {
        const first = paths.get(token.path);
        if (first !== undefined) context.error(childPath(tpath, 'path'), `duplicate token path "${token.path}" in this pod (also ${first})`);
        else paths.set(token.path, tpath);
      }
      if (!context.written(childPath(tpath, 'expirationSeconds'))) {
        context.warn(
          tpath,
          'no expirationSeconds: the API server gives this token its default lifetime (3600 s) and the kubelet refreshes it at 80 % of that; the request leaves the field unset, so its kubelet cache entry differs from an explicit 3600',
        );
      }
    });
  });
  if (total > MAX_PODS) context.error('pods', `too many pods after expanding replicas: ${total} (at most ${MAX_PODS})`);
}

function normalize(file: KubeletFile): KubeletSlice {
  return {
    kubelet: {
      syncFrequencyMs: file.kubelet?.syncFrequency ?? durationDefault(KUBELET_DEFAULTS.syncFrequency),
      version: file.kubelet?.version ?? KUBELET_DEFAULTS.version,
    },
    pods: (file.pods ?? []).flatMap(expandPod),
  };
}

function expandPod(pod: PodFile): PodSpec[] {
  const namespace = pod.namespace ?? KUBELET_DEFAULTS.namespace;
  return replicaNames(pod.name, pod.replicas).map((name) => {
    const spec: PodSpec = {
      name,
      namespace,
      serviceAccount: pod.serviceAccount ?? KUBELET_DEFAULTS.serviceAccount,
      // Checks allow an explicit uid only without replicas (or with replicas: 1).
      uid: pod.uid ?? podUid(namespace, name),
      // Each replica gets its own token objects: the engine may keep per-pod state on them.
      tokens: pod.tokens.map(tokenSource),
    };
    if (pod.deleteAt !== undefined) spec.deleteAt = pod.deleteAt;
    return spec;
  });
}

/** `audience: vault` → ["vault"]; `audiences: [...]` → a copy (even []); neither (or "") → undefined (SPEC A.2). */
function tokenSource(t: TokenFile): TokenSource {
  const source: TokenSource = { path: t.path };
  if (t.audiences !== undefined) source.audiences = [...t.audiences];
  else if (t.audience !== undefined && t.audience !== '') source.audiences = [t.audience];
  if (t.expirationSeconds !== undefined) source.expirationSeconds = t.expirationSeconds;
  return source;
}

/**
 * Pods are written one by one (replicas already expanded), each with its uid, so loading the text
 * gives back equal pods. `pods` is written even when empty, as it always was.
 */
function serialize(s: KubeletSlice): JsonObject {
  return {
    kubelet: { syncFrequency: formatDuration(s.kubelet.syncFrequencyMs), version: s.kubelet.version },
    pods: s.pods.map((p) => {
      const pod: JsonObject = { name: p.name, namespace: p.namespace, serviceAccount: p.serviceAccount, uid: p.uid };
      pod.tokens = p.tokens.map((t) => {
        const written: JsonObject = { path: t.path };
        if (t.audiences !== undefined) written.audiences = [...t.audiences];
        if (t.expirationSeconds !== undefined) written.expirationSeconds = t.expirationSeconds;
        return written;
      });
      if (p.deleteAt !== undefined) pod.deleteAt = formatDuration(p.deleteAt);
      return pod;
    }),
  };
}

export const kubeletSection: Section<KubeletFile, KubeletSlice> = {
  id: 'kubelet',
  settings: { kubelet },
  subjects: { pods },
  defaults: KUBELET_DEFAULTS,
  check,
  normalize,
  serialize,
  whatIf: kubeletWhatIf,
};
