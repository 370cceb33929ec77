/**
 * Discovery documents (legacy, unaggregated: clients that ask for aggregated discovery fall back to it
 * when the response is plain application/json), /version, and Table renderings for `kubectl get`.
 */
import type { KObject, Pod } from './objects';
import { RESOURCES, type ResourceName } from './store';
import { AUTHORIZATION_GROUP } from './accessReview';

export const AUTH_GROUP = 'authentication.k8s.io';

export const VERSION_INFO = {
  major: '1',
  minor: '34',
  emulationMajor: '1',
  emulationMinor: '34',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '33',
  gitVersion: 'v1.34.1-kube-token-lens-demo',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-09-09T00:00:00Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

const authGroup = {
  name: AUTH_GROUP,
  versions: [{ groupVersion: `${AUTH_GROUP}/v1`, version: 'v1' }],
  preferredVersion: { groupVersion: `${AUTH_GROUP}/v1`, version: 'v1' },
};

const authorizationGroup = {
  name: AUTHORIZATION_GROUP,
  versions: [{ groupVersion: `${AUTHORIZATION_GROUP}/v1`, version: 'v1' }],
  preferredVersion: { groupVersion: `${AUTHORIZATION_GROUP}/v1`, version: 'v1' },
};

/** `accessReviewEnabled` false: the authorization.k8s.io group is not served (an API server without it). */
export function apiGroupList(accessReviewEnabled = true): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: accessReviewEnabled ? [authGroup, authorizationGroup] : [authGroup] };
}

export function apiGroup(): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...authGroup };
}

export function authorizationApiGroup(): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...authorizationGroup };
}

export function authorizationResources(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${AUTHORIZATION_GROUP}/v1`,
    resources: [{ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }],
  };
}

export function coreResources(tokenRequestEnabled: boolean): Record<string, unknown> {
  const resources: Array<Record<string, unknown>> = [];
  for (const name of ['namespaces', 'nodes', 'pods', 'secrets', 'serviceaccounts'] as ResourceName[]) {
    const info = RESOURCES[name];
    const r: Record<string, unknown> = { name, singularName: info.singular, namespaced: info.namespaced, kind: info.kind, verbs: ['get', 'list'] };
    if (info.shortNames) r.shortNames = info.shortNames;
    if (info.categories) r.categories = info.categories;
    resources.push(r);
    if (name === 'serviceaccounts' && tokenRequestEnabled) {
      resources.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: AUTH_GROUP, version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    }
  }
  return { kind: 'APIResourceList', groupVersion: 'v1', resources };
}

export function authResources(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${AUTH_GROUP}/v1`,
    resources: [
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Tables (meta.k8s.io/v1 Table), as the server-side printers produce them for kubectl get.

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** kubectl's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const dy = Math.floor(h / 24) % 365;
    return dy === 0 ? `${Math.floor(h / 24 / 365)}y` : `${Math.floor(h / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}

function age(o: KObject, nowMs: number): string {
  return humanDuration(nowMs - Date.parse(o.metadata.creationTimestamp));
}

const columns: Record<ResourceName, Column[]> = {
  namespaces: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
  nodes: [
    NAME,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
  ],
  pods: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', 1),
  ],
  secrets: [NAME, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of entries in the secret'), AGE],
  serviceaccounts: [NAME, col('Secrets', 'string', 'The number of secrets referenced by this service account'), AGE],
};

function cells(resource: ResourceName, o: KObject, nowMs: number): unknown[] {
  switch (resource) {
    case 'namespaces':
      return [o.metadata.name, (o.status as { phase?: string }).phase ?? '', age(o, nowMs)];
    case 'nodes': {
      const status = o.status as { conditions?: Array<{ type: string; status: string }>; nodeInfo?: { kubeletVersion?: string }; addresses?: Array<{ type: string; address: string }> };
      const ready = status.conditions?.find((c) => c.type === 'Ready');
      return [
        o.metadata.name,
        ready?.status === 'True' ? 'Ready' : 'NotReady',
        '<none>',
        age(o, nowMs),
        status.nodeInfo?.kubeletVersion ?? '',
        status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>',
      ];
    }
    case 'pods': {
      const pod = o as Pod;
      const statuses = (pod.status.containerStatuses as Array<{ ready: boolean; restartCount: number }> | undefined) ?? [];
      return [
        pod.metadata.name,
        `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length}`,
        pod.status.phase,
        statuses.reduce((n, s) => n + s.restartCount, 0),
        age(o, nowMs),
        (pod.status.podIP as string | undefined) ?? '<none>',
        pod.spec.nodeName || '<none>',
      ];
    }
    case 'secrets':
      return [o.metadata.name, o.type, Object.keys((o.data as Record<string, string> | undefined) ?? {}).length, age(o, nowMs)];
    case 'serviceaccounts':
      return [o.metadata.name, ((o.secrets as unknown[] | undefined) ?? []).length, age(o, nowMs)];
  }
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(
  resource: ResourceName,
  items: KObject[],
  meta: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  nowMs: number,
  include: IncludeObject,
): Record<string, unknown> {
  const rows = items.map((o) => {
    const row: Record<string, unknown> = { cells: cells(resource, o, nowMs) };
    if (include === 'Object') row.object = o;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: columns[resource], rows };
}

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl get does, with JSON as fallback). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}
