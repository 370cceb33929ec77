/**
 * How a lane is named on the chart, in the lane table, tooltips and announcements (one home), so two
 * tokens of one pod never read the same: the pod (shortened) and the token source (the projected
 * volume, e.g. "kube-api-access-x" or "vault-token"), which is never the part that gets cut. Pure.
 */
import type { Lane } from '../src/sim/trace';

export interface LaneName {
  /** The pod ("namespace/pod" group's pod part), or undefined for lanes outside a pod. */
  pod: string | undefined;
  /** The pod name shortened for narrow places: "cart-7d9f8b6c4-pjsbk" → "cart-…pjsbk". */
  podShort: string | undefined;
  /** The namespace (or the whole group when it is not "namespace/pod"). */
  namespace: string | undefined;
  /** What tells the pod's lanes apart: the token's volume, or its path when it has no volume part. */
  source: string;
  /** "cart-…pjsbk · vault-token": pod and source, for the chart and announcements. */
  short: string;
  /** "shop/cart-7d9f8b6c4-pjsbk · vault-token/token": everything, for titles and tooltips. */
  full: string;
}

/** Pod names longer than this are shortened on the chart (a Deployment's pods: name-<hash>-<suffix>). */
const POD_SHORT_MAX = 16;

/** "cart-7d9f8b6c4-pjsbk" → "cart-…pjsbk": the workload's name and the pod's own suffix (what differs between replicas). */
export function shortPodName(pod: string): string {
  if (pod.length <= POD_SHORT_MAX) return pod;
  const dash = pod.lastIndexOf('-');
  const first = pod.indexOf('-');
  const suffix = dash > 0 ? pod.slice(dash + 1) : pod.slice(-5);
  const head = first > 0 && first < dash ? pod.slice(0, first + 1) : pod.slice(0, Math.max(1, POD_SHORT_MAX - suffix.length - 1));
  return `${head}…${suffix}`;
}

/** A token path "volume/file": the volume when the file is the usual token file, else the whole path. */
export function tokenSource(path: string): string {
  const slash = path.indexOf('/');
  return slash > 0 ? path.slice(0, slash) : path;
}

export function laneName(lane: Pick<Lane, 'label' | 'group' | 'kind'>): LaneName {
  const slash = lane.group?.lastIndexOf('/') ?? -1;
  const pod = lane.group !== undefined && slash > 0 ? lane.group.slice(slash + 1) : undefined;
  const namespace = lane.group !== undefined && slash > 0 ? lane.group.slice(0, slash) : lane.group;
  const source = pod !== undefined ? tokenSource(lane.label) : lane.label;
  const podShort = pod !== undefined ? shortPodName(pod) : undefined;
  return {
    pod,
    podShort,
    namespace,
    source,
    short: podShort !== undefined ? `${podShort} · ${source}` : lane.label,
    full: lane.group !== undefined ? `${lane.group} · ${lane.label}` : lane.label,
  };
}
