/**
 * The demo cluster's objects, shaped like the API server's JSON (v1 Namespace, Node, ServiceAccount,
 * Secret, Pod), and the content it starts with. Content is generated from a seed so that names and UIDs
 * are the same on every start; times are relative to the injected clock.
 */
import { admitServiceAccount } from '../../manifest/serviceAccountAdmission';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ServiceAccountTokenProjection {
  audience?: string;
  expirationSeconds?: number;
  path: string;
}

export interface VolumeProjection {
  serviceAccountToken?: ServiceAccountTokenProjection;
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  downwardAPI?: { items: Array<{ path: string; fieldRef: { apiVersion: string; fieldPath: string } }> };
  secret?: { name: string };
}

export interface Volume {
  name: string;
  projected?: { sources: VolumeProjection[]; defaultMode?: number };
  emptyDir?: Record<string, never>;
  configMap?: { name: string; defaultMode?: number };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface Container {
  name: string;
  image: string;
  ports?: Array<{ containerPort: number; protocol: string; name?: string }>;
  env?: Array<{ name: string; value: string }>;
  resources: Record<string, unknown>;
  volumeMounts?: VolumeMount[];
  terminationMessagePath: string;
  terminationMessagePolicy: string;
  imagePullPolicy: string;
}

export interface PodSpec {
  volumes?: Volume[];
  initContainers?: Container[];
  containers: Container[];
  restartPolicy: string;
  terminationGracePeriodSeconds: number;
  dnsPolicy: string;
  serviceAccountName: string;
  serviceAccount: string;
  automountServiceAccountToken?: boolean;
  nodeName: string;
  hostNetwork?: boolean;
  securityContext: Record<string, unknown>;
  schedulerName: string;
  tolerations: Array<Record<string, unknown>>;
  priority: number;
  priorityClassName?: string;
  enableServiceLinks: boolean;
  preemptionPolicy: string;
}

export interface Pod extends KObject {
  kind: 'Pod';
  spec: PodSpec;
  status: Record<string, unknown> & { phase: string };
}

export interface Secret extends KObject {
  kind: 'Secret';
  type: string;
  data?: Record<string, string>;
}

/** Annotations the demo puts on pods so that a client can see the demo kubelet's state. */
export const DEMO_ANNOTATIONS = {
  /** When the (demo) kubelet last requested this pod's projected tokens, at cluster start (RFC 3339). */
  tokensRequestedAt: 'demo.kube-token-lens.io/tokens-requested-at',
  /** "running": the demo kubelet refreshes tokens (SPEC A.5); "stopped": it stopped at tokens-requested-at. */
  kubelet: 'demo.kube-token-lens.io/kubelet',
  /** A sentence saying why this pod is interesting: the standard annotation, which the tree shows for any cluster. */
  note: 'kubernetes.io/description',
} as const;

export { SA_MOUNT_PATH } from '../../manifest/podTokenSources';
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

// ---------------------------------------------------------------------------------------------
// Seeded randomness (the cluster layer may use Math.random, but reproducible content is nicer).

export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** A random v4-shaped UUID. */
  uid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16));
    hex[12] = '4';
    hex[16] = ((this.int(4) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  /** k8s.io/apimachinery/pkg/util/rand.String: consonants and digits without vowels or look-alikes. */
  suffix(n: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

const rfc3339 = (ms: number): string => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
export { rfc3339 };

// ---------------------------------------------------------------------------------------------
// Builders.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function meta(r: Rand, name: string, createdMs: number, namespace?: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  const m: ObjectMeta = { name, uid: r.uid(), resourceVersion: '0', creationTimestamp: rfc3339(createdMs) };
  if (namespace !== undefined) m.namespace = namespace;
  return { ...m, ...extra, ...(namespace !== undefined ? { namespace } : {}) };
}

function namespaceObj(r: Rand, name: string, createdMs: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(r, name, createdMs, undefined, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function nodeObj(r: Rand, name: string, ip: string, createdMs: number, ready: { ready: boolean; sinceMs: number; heartbeatMs: number }): KObject {
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: rfc3339(ready.heartbeatMs),
    lastTransitionTime: rfc3339(ready.ready ? createdMs : ready.sinceMs),
    reason,
    message,
  });
  const unknown = (type: string) => cond(type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.');
  const conditions = ready.ready
    ? [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ]
    : ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map(unknown);
  const node: KObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(r, name, createdMs, undefined, {
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    }),
    spec: { podCIDR: `10.244.${name.slice(-1)}.0/24`, podCIDRs: [`10.244.${name.slice(-1)}.0/24`] },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '102626232Ki', memory: '16365228Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '102626232Ki', memory: '16262828Ki', pods: '110' },
      conditions,
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: r.uid().replace(/-/g, ''),
        systemUUID: r.uid(),
        bootID: r.uid(),
        kernelVersion: '6.8.0-45-generic',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://2.0.2',
        kubeletVersion: 'v1.34.1',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
  if (!ready.ready) {
    (node.spec as Record<string, unknown>).taints = [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: rfc3339(ready.sinceMs + 40_000) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339(ready.sinceMs + 45_000) },
    ];
  }
  return node;
}

function serviceAccountObj(r: Rand, namespace: string, name: string, createdMs: number, extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(r, name, createdMs, namespace), ...extra };
}

interface ContainerDef {
  name: string;
  image: string;
  port?: number;
  /** Extra mounts (custom projected tokens). */
  mounts?: VolumeMount[];
}

interface TokenDef {
  volume: string;
  audience?: string;
  expirationSeconds?: number;
  path: string;
  /** Which containers mount it (default all) and where. */
  containers?: string[];
  mountPath: string;
}

export interface PodDef {
  namespace: string;
  name: string;
  generateName?: string;
  serviceAccount: string;
  node: string;
  containers: ContainerDef[];
  initContainers?: ContainerDef[];
  labels?: Record<string, string>;
  owner?: { kind: string; name: string; apiVersion: string };
  createdMs: number;
  /** When the demo kubelet last requested the pod's tokens (its "current" tokens date from then). */
  tokensRequestedMs: number;
  kubeletRunning: boolean;
  automount?: boolean;
  customTokens?: TokenDef[];
  note?: string;
  hostNetwork?: boolean;
  priorityClassName?: string;
  ready?: boolean;
}

function container(def: ContainerDef): Container {
  const c: Container = {
    name: def.name,
    image: def.image,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  if (def.port !== undefined) c.ports = [{ containerPort: def.port, protocol: 'TCP' }];
  if (def.mounts?.length) c.volumeMounts = [...def.mounts];
  return c;
}

/** The pod as the API server stores it after ServiceAccount admission (SPEC D.3). */
export function buildPod(r: Rand, def: PodDef, nodeIp: string, podIp: string): Pod {
  const volumes: Volume[] = [];
  const containers = def.containers.map(container);
  const initContainers = def.initContainers?.map(container);
  for (const t of def.customTokens ?? []) {
    const projection: ServiceAccountTokenProjection = { path: t.path };
    if (t.audience !== undefined) projection.audience = t.audience;
    if (t.expirationSeconds !== undefined) projection.expirationSeconds = t.expirationSeconds;
    volumes.push({ name: t.volume, projected: { sources: [{ serviceAccountToken: projection }], defaultMode: 420 } });
    for (const c of [...containers, ...(initContainers ?? [])]) {
      if (t.containers && !t.containers.includes(c.name)) continue;
      (c.volumeMounts ??= []).push({ name: t.volume, readOnly: true, mountPath: t.mountPath });
    }
  }
  // SPEC D.3: the API server's ServiceAccount admission (one home: src/manifest).
  const admitted = admitServiceAccount(
    { spec: { volumes, containers, ...(initContainers ? { initContainers } : {}), ...(def.automount === false ? { automountServiceAccountToken: false } : {}) } },
    { volumeSuffix: () => r.suffix(5) },
  );
  const admittedVolumes = admitted.spec.volumes;
  const admittedContainers = admitted.spec.containers;
  const admittedInitContainers = admitted.spec.initContainers;
  const annotations: Record<string, string> = {
    [DEMO_ANNOTATIONS.tokensRequestedAt]: rfc3339(def.tokensRequestedMs),
    [DEMO_ANNOTATIONS.kubelet]: def.kubeletRunning ? 'running' : 'stopped',
  };
  if (def.note) annotations[DEMO_ANNOTATIONS.note] = def.note;
  const extra: Partial<ObjectMeta> = { labels: def.labels ?? {}, annotations };
  if (def.generateName) extra.generateName = def.generateName;
  if (def.owner) extra.ownerReferences = [{ ...def.owner, uid: r.uid(), controller: true, blockOwnerDeletion: true }];
  const spec: PodSpec = {
    ...(admittedVolumes.length ? { volumes: admittedVolumes } : {}),
    ...(admittedInitContainers ? { initContainers: admittedInitContainers } : {}),
    containers: admittedContainers,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: def.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    serviceAccountName: def.serviceAccount,
    serviceAccount: def.serviceAccount,
    nodeName: def.node,
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: def.priorityClassName ? 2000001000 : 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  if (def.automount === false) spec.automountServiceAccountToken = false;
  if (def.hostNetwork) spec.hostNetwork = true;
  if (def.priorityClassName) spec.priorityClassName = def.priorityClassName;
  const started = rfc3339(def.createdMs + 2_000);
  const ready = def.ready ?? true;
  const readyTime = rfc3339(def.createdMs + 5_000);
  const condition = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: readyTime });
  const status = {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', true),
      condition('Initialized', true),
      condition('Ready', ready),
      condition('ContainersReady', ready),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(def.createdMs) },
    ],
    hostIP: nodeIp,
    hostIPs: [{ ip: nodeIp }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: rfc3339(def.createdMs),
    containerStatuses: admittedContainers.map((c) => ({
      name: c.name,
      state: { running: { startedAt: started } },
      lastState: {},
      ready,
      restartCount: 0,
      image: c.image.includes('/') ? c.image : `docker.io/library/${c.image}`,
      imageID: `${c.image.split(':')[0]}@sha256:${Array.from({ length: 64 }, () => r.int(16).toString(16)).join('')}`,
      containerID: `containerd://${Array.from({ length: 64 }, () => r.int(16).toString(16)).join('')}`,
      started: true,
    })),
    qosClass: 'BestEffort',
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(r, def.name, def.createdMs, def.namespace, extra),
    spec,
    status,
  };
}

// ---------------------------------------------------------------------------------------------
// The content.

export interface DemoContent {
  namespaces: KObject[];
  nodes: KObject[];
  serviceAccounts: KObject[];
  secrets: Secret[];
  pods: Pod[];
  /** The legacy token Secret whose token the server signs at start (data.token is filled in then). */
  legacySecret: { namespace: string; name: string; serviceAccount: string };
}

export interface ContentOptions {
  nowMs: number;
  seed: number;
  /** Extra generated pods (default none beyond the curated ones). */
  pods: number;
  /** Namespace for generated pods; default: spread over shop and payments. */
  podNamespace?: string;
}

interface NodeInfo {
  name: string;
  ip: string;
  running: boolean;
}

export function buildContent(opts: ContentOptions): DemoContent {
  const r = new Rand(opts.seed);
  const now = opts.nowMs;
  const nodes: NodeInfo[] = [
    { name: 'node-1', ip: '192.168.49.2', running: true },
    { name: 'node-2', ip: '192.168.49.3', running: true },
    { name: 'node-3', ip: '192.168.49.4', running: false },
  ];
  const kubeletStoppedMs = now - 2 * HOUR;
  const clusterBorn = now - 90 * DAY;
  const appsBorn = now - 30 * DAY;

  const nsNames = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'payments', 'shop'];
  if (opts.podNamespace && !nsNames.includes(opts.podNamespace)) nsNames.push(opts.podNamespace);
  const namespaces = nsNames.map((n) => namespaceObj(r, n, n.startsWith('kube-') || n === 'default' ? clusterBorn : appsBorn));
  const nodeObjs = nodes.map((n) =>
    nodeObj(r, n.name, n.ip, clusterBorn, { ready: n.running, sinceMs: kubeletStoppedMs, heartbeatMs: n.running ? now - 20_000 : kubeletStoppedMs }),
  );

  const serviceAccounts: KObject[] = nsNames.map((n) => serviceAccountObj(r, n, 'default', n.startsWith('kube-') || n === 'default' ? clusterBorn : appsBorn));
  const sa = (ns: string, name: string, extra: Record<string, unknown> = {}) => serviceAccounts.push(serviceAccountObj(r, ns, name, appsBorn, extra));
  sa('kube-system', 'coredns');
  sa('kube-system', 'kube-proxy');
  sa('shop', 'web');
  sa('shop', 'cart');
  sa('payments', 'payments-api');
  sa('payments', 'ledger');
  sa('payments', 'reconciler');
  sa('payments', 'ci-deployer');
  // payments-api uses IAM roles for service accounts: the annotation names the role (EKS convention).
  const paymentsApi = serviceAccounts.find((s) => s.metadata.namespace === 'payments' && s.metadata.name === 'payments-api');
  if (paymentsApi) paymentsApi.metadata.annotations = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/payments-api' };
  const ciDeployer = serviceAccounts.find((s) => s.metadata.namespace === 'payments' && s.metadata.name === 'ci-deployer');
  if (ciDeployer) ciDeployer.secrets = [{ name: 'ci-deployer-token' }];

  const nodeIp = (name: string) => nodes.find((n) => n.name === name)?.ip ?? '192.168.49.2';
  let ipCounter = 2;
  const podIp = (node: string) => {
    const n = ipCounter++;
    return `10.244.${node.slice(-1)}.${(n % 250) + 2}`;
  };
  const running = (node: string) => nodes.find((n) => n.name === node)?.running ?? true;
  const defs: PodDef[] = [];
  const rs = (name: string) => `${name}-${r.suffix(10)}`;
  const deployPod = (ns: string, deploy: string, hash: string, d: Partial<PodDef> & { node: string; serviceAccount: string; containers: ContainerDef[] }): PodDef => ({
    namespace: ns,
    name: `${hash}-${r.suffix(5)}`,
    generateName: `${hash}-`,
    labels: { app: deploy, 'pod-template-hash': hash.slice(deploy.length + 1) },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: hash },
    createdMs: now - 3 * DAY,
    tokensRequestedMs: now - 20 * MIN,
    kubeletRunning: running(d.node),
    ...d,
  });

  // kube-system
  const coredns = rs('coredns');
  defs.push(
    deployPod('kube-system', 'coredns', coredns, {
      node: 'node-1',
      serviceAccount: 'coredns',
      containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.0', port: 53 }],
      labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': coredns.slice(8) },
      priorityClassName: 'system-cluster-critical',
      createdMs: now - 60 * DAY,
      tokensRequestedMs: now - 12 * MIN,
    }),
  );
  for (const n of nodes) {
    defs.push({
      namespace: 'kube-system',
      name: `kube-proxy-${r.suffix(5)}`,
      generateName: 'kube-proxy-',
      serviceAccount: 'kube-proxy',
      node: n.name,
      containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.34.1' }],
      labels: { 'k8s-app': 'kube-proxy', 'controller-revision-hash': r.suffix(10), 'pod-template-generation': '1' },
      owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' },
      createdMs: now - 60 * DAY,
      tokensRequestedMs: n.running ? now - (5 + r.int(40)) * MIN : kubeletStoppedMs,
      kubeletRunning: n.running,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      ready: n.running,
    });
  }

  // shop: web (two replicas, a sidecar) and cart (a vault-agent sidecar with its own 600 s token).
  const web = rs('web');
  for (const [node, age] of [
    ['node-1', 31],
    ['node-2', 9],
  ] as const) {
    defs.push(
      deployPod('shop', 'web', web, {
        node,
        serviceAccount: 'web',
        containers: [
          { name: 'web', image: 'nginx:1.27', port: 8080 },
          { name: 'log-shipper', image: 'fluent/fluent-bit:3.2' },
        ],
        tokensRequestedMs: now - age * MIN,
        note: 'an ordinary pod: only the default kube-api-access token, which the kubelet refreshes about every 48 min',
      }),
    );
  }
  const cart = rs('cart');
  defs.push(
    deployPod('shop', 'cart', cart, {
      node: 'node-2',
      serviceAccount: 'cart',
      containers: [
        { name: 'cart', image: 'ghcr.io/example/cart:2.4.1', port: 8080 },
        { name: 'vault-agent', image: 'hashicorp/vault:1.18' },
      ],
      customTokens: [{ volume: 'vault-token', audience: 'vault', expirationSeconds: 600, path: 'vault-token', containers: ['vault-agent'], mountPath: '/var/run/secrets/vault' }],
      tokensRequestedMs: now - 3 * MIN,
      note: 'vault-agent reads a 600 s token with audience "vault": the kubelet refreshes it every 8 min',
    }),
  );

  // payments
  defs.push({
    namespace: 'payments',
    name: 'payments-api-0',
    generateName: 'payments-api-',
    serviceAccount: 'payments-api',
    node: 'node-1',
    containers: [{ name: 'api', image: 'ghcr.io/example/payments-api:5.0.3', port: 8443 }],
    labels: { app: 'payments-api', 'apps.kubernetes.io/pod-index': '0', 'statefulset.kubernetes.io/pod-name': 'payments-api-0' },
    owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'payments-api' },
    createdMs: now - 6 * DAY,
    tokensRequestedMs: now - 5 * HOUR,
    kubeletRunning: true,
    customTokens: [
      {
        volume: 'aws-iam-token',
        audience: 'sts.amazonaws.com',
        expirationSeconds: 86_400,
        path: 'token',
        mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
      },
    ],
    note: 'IAM roles for service accounts: a 24 h token with audience sts.amazonaws.com, refreshed after 19.2 h',
  });
  defs.push({
    namespace: 'payments',
    name: 'ledger-0',
    generateName: 'ledger-',
    serviceAccount: 'ledger',
    node: 'node-2',
    containers: [{ name: 'ledger', image: 'ghcr.io/example/ledger:1.9.0', port: 9000 }],
    labels: { app: 'ledger', 'apps.kubernetes.io/pod-index': '0', 'statefulset.kubernetes.io/pod-name': 'ledger-0' },
    owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ledger' },
    createdMs: now - 2 * DAY,
    // 47 min 56 s ago: the kubelet refreshes a 3607 s token after 48 min 6 s (minus 0–9 s jitter).
    tokensRequestedMs: now - (47 * MIN + 56_000),
    kubeletRunning: true,
    note: 'its kube-api-access token is about to be refreshed (48 min 6 s after the last request)',
  });
  const cronJob = `reconciler-${29_000_000 + r.int(999_999)}`;
  defs.push({
    namespace: 'payments',
    name: `${cronJob}-${r.suffix(5)}`,
    generateName: `${cronJob}-`,
    serviceAccount: 'reconciler',
    node: 'node-3',
    containers: [{ name: 'reconcile', image: 'ghcr.io/example/reconciler:0.7.2' }],
    labels: { 'batch.kubernetes.io/job-name': cronJob, 'job-name': cronJob },
    owner: { apiVersion: 'batch/v1', kind: 'Job', name: cronJob },
    createdMs: now - 3 * HOUR,
    tokensRequestedMs: kubeletStoppedMs,
    kubeletRunning: false,
    customTokens: [{ volume: 'vault-token', audience: 'vault', expirationSeconds: 600, path: 'vault-token', mountPath: '/var/run/secrets/vault' }],
    note: 'node-3 stopped 2 h ago: its 600 s vault token expired, and its kube-api-access token is past warnafter (stale, but still accepted)',
    ready: false,
  });
  defs.push({
    namespace: 'default',
    name: 'debug-shell',
    serviceAccount: 'default',
    node: 'node-1',
    containers: [{ name: 'shell', image: 'busybox:1.37' }],
    labels: { run: 'debug-shell' },
    createdMs: now - 4 * HOUR,
    tokensRequestedMs: now - 4 * HOUR,
    kubeletRunning: true,
    automount: false,
    note: 'automountServiceAccountToken: false: no token is mounted',
  });

  // Generated load: deployments of 100 replicas, every 7th pod with a vault sidecar token.
  const spread = opts.podNamespace ? [opts.podNamespace] : ['shop', 'payments'];
  const runningNodes = nodes.filter((n) => n.running);
  let hash = '';
  for (let i = 0; i < opts.pods; i++) {
    if (i % 100 === 0) hash = rs(`worker-${String(i / 100).padStart(3, '0')}`);
    const node = runningNodes[i % runningNodes.length] as NodeInfo;
    const ns = spread[Math.floor(i / 100) % spread.length] as string;
    const deploy = hash.slice(0, hash.lastIndexOf('-'));
    const withVault = i % 7 === 3;
    const def = deployPod(ns, deploy, hash, {
      node: node.name,
      serviceAccount: 'default',
      containers: withVault
        ? [
            { name: 'worker', image: 'ghcr.io/example/worker:1.0.0' },
            { name: 'vault-agent', image: 'hashicorp/vault:1.18' },
          ]
        : [{ name: 'worker', image: 'ghcr.io/example/worker:1.0.0' }],
      createdMs: now - DAY - r.int(DAY),
      tokensRequestedMs: now - r.int(48 * MIN),
    });
    if (withVault) def.customTokens = [{ volume: 'vault-token', audience: 'vault', expirationSeconds: 600, path: 'vault-token', containers: ['vault-agent'], mountPath: '/var/run/secrets/vault' }];
    defs.push(def);
  }

  // platform: workloads whose tokens make an outage's blast radius interesting, each next to its
  // kube-api-access token: 600 s (vault), 1 h (nats), 12 h (istio-ca) and 24 h (sts.amazonaws.com)
  // audiences. Added after everything else so that the names and UIDs above stay as they were. The
  // demo kubelet's tokens date from the pod's start (tokensRequestedMs = createdMs), so a token read
  // from such a pod agrees with a history simulated from its status.startTime.
  if (!nsNames.includes('platform')) {
    namespaces.push(namespaceObj(r, 'platform', appsBorn));
    serviceAccounts.push(serviceAccountObj(r, 'platform', 'default', appsBorn));
  }
  const platformApps: Array<{ app: string; sa: string; image: string; replicas: number; token: Omit<TokenDef, 'mountPath' | 'containers'> & { mountPath: string }; ageMs: () => number; note: string }> = [
    {
      app: 'vault-sync',
      sa: 'vault-sync',
      image: 'ghcr.io/example/vault-sync:0.9.1',
      replicas: 3,
      token: { volume: 'vault-token', audience: 'vault', expirationSeconds: 600, path: 'vault-token', mountPath: '/var/run/secrets/vault' },
      ageMs: () => 2 * DAY + r.int(6 * HOUR),
      note: 'a 600 s token with audience "vault": any API-server outage longer than about 2 minutes can let it expire',
    },
    {
      app: 'nats-client',
      sa: 'nats-client',
      image: 'ghcr.io/example/nats-client:2.10.4',
      replicas: 3,
      token: { volume: 'nats-token', audience: 'nats', expirationSeconds: 3600, path: 'token', mountPath: '/var/run/secrets/nats' },
      ageMs: () => 9 * HOUR + r.int(3 * HOUR),
      note: 'a 1 h token with audience "nats": an outage of more than 12 minutes can let it expire',
    },
    {
      app: 'mesh-gateway',
      sa: 'mesh-gateway',
      image: 'ghcr.io/example/mesh-gateway:1.24.0',
      replicas: 4,
      token: { volume: 'istio-token', audience: 'istio-ca', expirationSeconds: 43_200, path: 'istio-token', mountPath: '/var/run/secrets/tokens' },
      // One refresh (after 9 h 36 min) and 8.5–9.5 h into the second token: it expires 2.5–3.5 h from now.
      ageMs: () => 18 * HOUR + 6 * MIN + r.int(HOUR),
      note: 'a 12 h token with audience "istio-ca", refreshed after 9 h 36 min: this one is near the end of its cycle',
    },
    {
      app: 's3-uploader',
      sa: 's3-uploader',
      image: 'ghcr.io/example/s3-uploader:3.1.0',
      replicas: 3,
      token: { volume: 'aws-iam-token', audience: 'sts.amazonaws.com', expirationSeconds: 86_400, path: 'token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount' },
      // Into the second 24 h token by 17–19 h: its refresh (after 19 h 12 min) is due within about 2 h.
      ageMs: () => 36 * HOUR + 12 * MIN + r.int(2 * HOUR),
      note: 'a 24 h token with audience "sts.amazonaws.com" (IAM roles for service accounts), due for its refresh soon',
    },
  ];
  for (const a of platformApps) {
    sa('platform', a.sa);
    const hash = rs(a.app);
    for (let i = 0; i < a.replicas; i++) {
      const createdMs = now - a.ageMs();
      const node = runningNodes[i % runningNodes.length] as NodeInfo;
      defs.push(
        deployPod('platform', a.app, hash, {
          node: node.name,
          serviceAccount: a.sa,
          containers: [{ name: a.app, image: a.image }],
          createdMs,
          tokensRequestedMs: createdMs,
          customTokens: [{ ...a.token }],
          note: a.note,
        }),
      );
    }
  }

  const pods = defs.map((d) => buildPod(r, d, nodeIp(d.node), podIp(d.node)));

  // Secrets: the legacy service-account token (filled in by the server), and an ordinary one.
  const ci = serviceAccounts.find((s) => s.metadata.namespace === 'payments' && s.metadata.name === 'ci-deployer');
  const legacy: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(r, 'ci-deployer-token', appsBorn, 'payments', {
      annotations: { 'kubernetes.io/service-account.name': 'ci-deployer', 'kubernetes.io/service-account.uid': ci?.metadata.uid ?? '' },
      labels: { 'kubernetes.io/legacy-token-last-used': rfc3339(now - 3 * DAY).slice(0, 10) },
    }),
    type: 'kubernetes.io/service-account-token',
    data: {},
  };
  const opaque: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(r, 'db-credentials', appsBorn, 'payments'),
    type: 'Opaque',
    data: { username: Buffer.from('ledger').toString('base64'), password: Buffer.from('demo-not-a-secret').toString('base64') },
  };
  return {
    namespaces,
    nodes: nodeObjs,
    serviceAccounts,
    secrets: [legacy, opaque],
    pods,
    legacySecret: { namespace: 'payments', name: 'ci-deployer-token', serviceAccount: 'ci-deployer' },
  };
}
