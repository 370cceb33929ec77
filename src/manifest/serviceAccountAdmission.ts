/**
 * The ServiceAccount admission plugin's token defaults (SPEC D.3): what the API server does to a pod
 * spec before it stores it. The pod gets a `kube-api-access-<5 chars>` projected volume (the API
 * server's own token, 3607 s, the root CA and the namespace) mounted at the service-account path in
 * every container and init container that has nothing mounted there, unless automounting is off.
 * Mirror pods (the API server's copies of a node's static pods) are left alone.
 */
import { WARN_ONLY_EXPIRATION_SECONDS } from '../sim/apiserver/tokenIssuer';
import { KUBE_API_ACCESS_PREFIX, SA_MOUNT_PATH, tokenSourcesOf, type ContainerShape, type PodSpecShape, type ProjectedTokenSource, type VolumeShape } from './podTokenSources';

/** The annotation the kubelet puts on a mirror pod. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** The service account a pod that names none runs as. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

export type AutomountDecision =
  | { automount: true; why: 'default' | 'pod' | 'serviceAccount' }
  | { automount: false; why: 'pod' | 'serviceAccount' | 'mirrorPod' };

export interface AdmissionOptions {
  /** The pod's ServiceAccount's automountServiceAccountToken, when the ServiceAccount is known. */
  serviceAccountAutomount?: boolean;
  /**
   * The 5 characters after `kube-api-access-`. The API server draws them at random; called only when
   * a new volume is added, so a seeded caller keeps its draws.
   */
  volumeSuffix: () => string;
}

export interface AdmissionInput<S extends PodSpecShape> {
  spec: S;
  annotations?: Readonly<Record<string, string>> | null;
}

export interface AdmittedTokenSource extends ProjectedTokenSource {
  /** The API server's admission added this source (its volume was not in the pod spec sent). */
  addedByAdmission: boolean;
}

export interface AdmissionResult<S extends PodSpecShape> {
  /** The pod spec as the API server stores it: a copy, the input is not changed. */
  spec: S;
  serviceAccount: string;
  decision: AutomountDecision;
  /** The volume admission added, if any. */
  addedVolume?: string;
  /** The (init) containers admission mounted the API token in. */
  mountedIn: string[];
  tokenSources: AdmittedTokenSource[];
}

/** SPEC D.3: the pod's own setting wins, then its ServiceAccount's; mirror pods get nothing. */
export function automountDecision(spec: PodSpecShape, annotations: Readonly<Record<string, string>> | null | undefined, serviceAccountAutomount?: boolean): AutomountDecision {
  if (annotations && Object.hasOwn(annotations, MIRROR_POD_ANNOTATION)) return { automount: false, why: 'mirrorPod' };
  const pod = spec.automountServiceAccountToken;
  if (pod === true || pod === false) return pod ? { automount: true, why: 'pod' } : { automount: false, why: 'pod' };
  if (serviceAccountAutomount === false) return { automount: false, why: 'serviceAccount' };
  return serviceAccountAutomount === true ? { automount: true, why: 'serviceAccount' } : { automount: true, why: 'default' };
}

/** SPEC D.3: the projected volume admission adds, in the API server's field order. */
export function kubeApiAccessVolume(name: string): VolumeShape & { projected: { sources: object[]; defaultMode: number } } {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: WARN_ONLY_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      // 0644
      defaultMode: 420,
    },
  };
}

export function serviceAccountOf(spec: PodSpecShape): string {
  return spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
}

/**
 * Applies the admission defaults to a pod spec. Like upstream: an existing `kube-api-access-*` volume
 * is reused; a container or init container with anything mounted at the service-account path is left
 * alone; the volume is added only when some container needed the mount (ephemeral containers are
 * never touched).
 */
export function admitServiceAccount<S extends PodSpecShape>(pod: AdmissionInput<S>, options: AdmissionOptions): AdmissionResult<S> {
  const decision = automountDecision(pod.spec, pod.annotations, options.serviceAccountAutomount);
  const serviceAccount = serviceAccountOf(pod.spec);
  let spec = pod.spec;
  let addedVolume: string | undefined;
  const mountedIn: string[] = [];
  if (decision.automount) {
    const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(KUBE_API_ACCESS_PREFIX));
    const name = existing?.name ?? `${KUBE_API_ACCESS_PREFIX}${options.volumeSuffix()}`;
    const mount = { name, readOnly: true, mountPath: SA_MOUNT_PATH };
    // The pod's own container type (a demo Container, a V1Container, JSON) gains one mount of the shape all share.
    const withMount = <C extends ContainerShape>(list: C[] | null | undefined): C[] | null | undefined =>
      list?.map((c) => {
        if ((c.volumeMounts ?? []).some((m) => m.mountPath === SA_MOUNT_PATH)) return c;
        mountedIn.push(c.name);
        return { ...c, volumeMounts: [...(c.volumeMounts ?? []), mount] };
      });
    const initContainers = withMount(spec.initContainers);
    const containers = withMount(spec.containers);
    spec = { ...spec };
    if (initContainers) spec.initContainers = initContainers;
    if (containers) spec.containers = containers;
    if (existing === undefined && mountedIn.length > 0) {
      addedVolume = name;
      spec.volumes = [...(spec.volumes ?? []), kubeApiAccessVolume(name)] as S['volumes'];
    }
  }
  const tokenSources = tokenSourcesOf({ spec }).map((s) => ({ ...s, addedByAdmission: s.volume === addedVolume }));
  const result: AdmissionResult<S> = { spec, serviceAccount, decision, mountedIn, tokenSources };
  if (addedVolume !== undefined) result.addedVolume = addedVolume;
  return result;
}
