/**
 * The service-account tokens a pod spec mounts: its projected serviceAccountToken sources (and which
 * containers see each one), and legacy token Secret volumes at the service-account path. Typed on a
 * minimal structural pod shape, so plain JSON read from a manifest and client-node's V1Pod both fit.
 * The one home of these rules for the cluster layer, the manifest layer and the demo cluster.
 */
import { DEFAULT_EXPIRATION_SECONDS } from '../sim/apiserver/tokenRequest';

/** SPEC D.3: where ServiceAccount admission mounts the API server's own token (and where client-go looks). */
export const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** SPEC D.3: the prefix of the volume ServiceAccount admission adds (then 5 random characters). */
export const KUBE_API_ACCESS_PREFIX = 'kube-api-access-';

// The structural pod shape. Every field is optional where Kubernetes lets it be absent; null is
// accepted where client-node or JSON may carry it.

export interface ServiceAccountTokenProjectionShape {
  audience?: string | null;
  expirationSeconds?: number | null;
  path: string;
}

export interface VolumeProjectionShape {
  serviceAccountToken?: ServiceAccountTokenProjectionShape | null;
}

export interface VolumeShape {
  name: string;
  projected?: { sources?: VolumeProjectionShape[] | null } | null;
  secret?: { secretName?: string | null } | null;
}

export interface VolumeMountShape {
  name: string;
  mountPath: string;
  readOnly?: boolean | null;
  subPath?: string | null;
}

export interface ContainerShape {
  name: string;
  volumeMounts?: VolumeMountShape[] | null;
}

export interface PodSpecShape {
  volumes?: VolumeShape[] | null;
  initContainers?: ContainerShape[] | null;
  containers?: ContainerShape[] | null;
  automountServiceAccountToken?: boolean | null;
  serviceAccountName?: string | null;
  /** Deprecated alias of serviceAccountName, still honoured by the API server. */
  serviceAccount?: string | null;
}

export interface PodShape {
  spec?: PodSpecShape | null;
}

export interface TokenMount {
  container: string;
  initContainer: boolean;
  mountPath: string;
  /** The token file as the container sees it. */
  file: string;
  readOnly: boolean;
  /** Mounted with subPath: the kubelet never updates such a file, so the container keeps the first token. */
  subPath?: string;
}

export interface ProjectedTokenSource {
  volume: string;
  /** Index of the source within the projected volume. */
  sourceIndex: number;
  /** File name inside the volume. */
  path: string;
  /** Undefined: no audience, so the API server's own audiences. */
  audience?: string;
  expirationSeconds: number;
  /** True when expirationSeconds was absent and the API default (3600) applies. */
  expirationSecondsDefaulted: boolean;
  /** The kube-api-access-* volume added by ServiceAccount admission (SPEC D.3). */
  isKubeApiAccess: boolean;
  mounts: TokenMount[];
}

/**
 * A Secret volume mounted at the service-account path: how pods got the API token before 1.21
 * (`default-token-xxxxx`). The token in such a Secret never expires and the kubelet never refreshes it.
 */
export interface LegacyTokenSecretVolume {
  volume: string;
  secretName: string;
  mounts: TokenMount[];
}

interface ContainerRef {
  c: ContainerShape;
  init: boolean;
}

function containersOf(spec: PodSpecShape | null | undefined): ContainerRef[] {
  return [...(spec?.initContainers ?? []).map((c) => ({ c, init: true })), ...(spec?.containers ?? []).map((c) => ({ c, init: false }))];
}

/** Where each container mounts `volume`, and the file `path` inside it as the container sees it. */
function mountsOf(containers: ContainerRef[], volume: string, path: string): TokenMount[] {
  const mounts: TokenMount[] = [];
  for (const { c, init } of containers) {
    for (const m of c.volumeMounts ?? []) {
      if (m.name !== volume) continue;
      const base = m.mountPath.replace(/\/+$/, '');
      const mount: TokenMount = { container: c.name, initContainer: init, mountPath: m.mountPath, file: `${base}/${path}`, readOnly: m.readOnly ?? false };
      if (m.subPath) {
        mount.subPath = m.subPath;
        // A subPath mount of the token file itself is the file; of a directory, the file below it.
        mount.file = m.subPath === path ? base : `${base}/${path}`;
      }
      mounts.push(mount);
    }
  }
  return mounts;
}

/** Projected service-account token sources of a pod and who mounts them. */
export function tokenSourcesOf(pod: PodShape): ProjectedTokenSource[] {
  const out: ProjectedTokenSource[] = [];
  const containers = containersOf(pod.spec);
  for (const v of pod.spec?.volumes ?? []) {
    const sources = v.projected?.sources ?? [];
    sources.forEach((src, i) => {
      const sat = src.serviceAccountToken;
      if (!sat) return;
      const defaulted = sat.expirationSeconds === undefined || sat.expirationSeconds === null;
      const s: ProjectedTokenSource = {
        volume: v.name,
        sourceIndex: i,
        path: sat.path,
        // SPEC D.1 step 5: an absent expirationSeconds is defaulted to 3600 (and never extended).
        expirationSeconds: sat.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
        expirationSecondsDefaulted: defaulted,
        isKubeApiAccess: v.name.startsWith(KUBE_API_ACCESS_PREFIX),
        mounts: mountsOf(containers, v.name, sat.path),
      };
      if (sat.audience) s.audience = sat.audience;
      out.push(s);
    });
  }
  return out;
}

/** Secret volumes some container mounts at the service-account path: legacy, non-expiring API tokens. */
export function legacyTokenSecretVolumesOf(pod: PodShape): LegacyTokenSecretVolume[] {
  const out: LegacyTokenSecretVolume[] = [];
  const containers = containersOf(pod.spec);
  for (const v of pod.spec?.volumes ?? []) {
    if (!v.secret) continue;
    const mounts = mountsOf(containers, v.name, 'token').filter((m) => m.mountPath.replace(/\/+$/, '') === SA_MOUNT_PATH);
    if (mounts.length > 0) out.push({ volume: v.name, secretName: v.secret.secretName ?? v.name, mounts });
  }
  return out;
}
