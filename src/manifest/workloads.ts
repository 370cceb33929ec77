/**
 * The objects of a manifest that run pods (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, and `kind: List` of them, as `kubectl get -o yaml` prints) →
 * workloads: where the pod (template) spec is, how many pods it stands for, and where it is in the
 * text. ServiceAccounts are kept too: their automountServiceAccountToken decides admission (SPEC D.3).
 * Other kinds are skipped, not errors: a manifest holds Services and ConfigMaps as well.
 */
import type { SourceRange } from '../sim/units/sourcePosition';
import { formatFieldPath, parseManifestDocuments, sortProblems, type FieldPath, type JsonMap, type ManifestDocument, type ManifestProblem } from './manifestDocuments';
import type { PodSpecShape } from './podTokenSources';
import { checkObjectMeta, checkPodSpec, checkStartTime, FieldChecker } from './podSpecFields';

export type WorkloadKind = 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob';

/** Where each kind keeps its pod spec and metadata, and what its pod count is read from. */
const KINDS: Readonly<Record<WorkloadKind, { pod: FieldPath; replicas?: FieldPath; oneBecause?: string }>> = {
  Pod: { pod: [] },
  Deployment: { pod: ['spec', 'template'], replicas: ['spec', 'replicas'] },
  StatefulSet: { pod: ['spec', 'template'], replicas: ['spec', 'replicas'] },
  ReplicaSet: { pod: ['spec', 'template'], replicas: ['spec', 'replicas'] },
  ReplicationController: { pod: ['spec', 'template'], replicas: ['spec', 'replicas'] },
  Job: { pod: ['spec', 'template'], replicas: ['spec', 'parallelism'] },
  DaemonSet: { pod: ['spec', 'template'], oneBecause: 'one pod per node; the manifest does not say how many nodes, so counted as 1' },
  CronJob: { pod: ['spec', 'jobTemplate', 'spec', 'template'], oneBecause: 'one Job per schedule, counted as 1 pod' },
};

const isWorkloadKind = (kind: string): kind is WorkloadKind => Object.hasOwn(KINDS, kind);

/** The namespace an object without metadata.namespace lands in (kubectl's default context namespace). */
export const DEFAULT_NAMESPACE = 'default';

export interface PodMetadata {
  name?: string;
  uid?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  /** False: metadata.namespace was absent and DEFAULT_NAMESPACE was assumed. */
  namespaceSet: boolean;
  name: string;
  /** How many pods the workload stands for (1 for a Pod). */
  replicas: number;
  /** Where `replicas` comes from, in words: "spec.replicas", "spec.replicas not set: 1", "DaemonSet: …". */
  replicasSource: string;
  /** True for a pod template (every kind but Pod). */
  template: boolean;
  /** The pod's (template's) metadata; for a Pod, the object's. */
  podMetadata: PodMetadata;
  podSpec: PodSpecShape;
  /** status.startTime of a Pod that has one (RFC 3339 and epoch ms). */
  startTime?: string;
  startTimeMs?: number;
  /** 0-based document of the text, and the path of the object inside it ("" or "items[2]"). */
  document: number;
  path: string;
  range: SourceRange;
}

export interface ServiceAccountObject {
  namespace: string;
  name: string;
  automountServiceAccountToken?: boolean;
}

export interface SkippedObject {
  kind: string;
  name: string;
  range: SourceRange;
}

export interface ManifestContents {
  workloads: Workload[];
  serviceAccounts: ServiceAccountObject[];
  /** Objects of other kinds (Service, ConfigMap, …), left out. */
  skipped: SkippedObject[];
}

export type ManifestReadResult = ({ ok: true } & ManifestContents) | { ok: false; errors: ManifestProblem[] };

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function at(obj: JsonMap, path: FieldPath): unknown {
  let v: unknown = obj;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/** One object (a document, or an item of a List) at `base` inside `doc`. */
function readObject(obj: JsonMap, base: FieldPath, doc: ManifestDocument, check: FieldChecker, into: ManifestContents): void {
  const kind = obj.kind;
  const range = base.length === 0 ? doc.range : doc.rangeAt(base);
  const meta = checkObjectMeta(obj.metadata, [...base, 'metadata'], check) ?? {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
  const nsSet = typeof meta.namespace === 'string' && meta.namespace !== '';
  const namespace = nsSet ? (meta.namespace as string) : DEFAULT_NAMESPACE;

  if (kind === 'List' || (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(obj.items))) {
    // kubectl get -o yaml prints `kind: List`; the API's own lists are PodList, DeploymentList, ….
    for (const { item, index } of check.mappings(obj.items, [...base, 'items'])) readObject(item, [...base, 'items', index], doc, check, into);
    return;
  }
  if (kind === 'ServiceAccount') {
    const sa: ServiceAccountObject = { namespace, name };
    const automount = check.boolean(obj.automountServiceAccountToken, [...base, 'automountServiceAccountToken']);
    if (automount !== undefined) sa.automountServiceAccountToken = automount;
    into.serviceAccounts.push(sa);
    return;
  }
  if (typeof kind !== 'string' || !isWorkloadKind(kind)) {
    into.skipped.push({ kind: typeof kind === 'string' ? kind : '(no kind)', name, range });
    return;
  }

  const rule = KINDS[kind];
  const before = check.problems.length;
  const podPath = [...base, ...rule.pod];
  const template = kind !== 'Pod';
  const podObject = template ? check.map(at(obj, rule.pod), podPath, true) : obj;
  const podMeta = template ? (checkObjectMeta(podObject?.metadata, [...podPath, 'metadata'], check) ?? {}) : meta;
  const spec = podObject ? checkPodSpec(podObject.spec, [...podPath, 'spec'], check) : undefined;

  let replicas = 1;
  let replicasSource: string;
  if (rule.oneBecause !== undefined) replicasSource = `${kind}: ${rule.oneBecause}`;
  else if (rule.replicas === undefined) replicasSource = 'a single pod';
  else {
    const field = formatFieldPath(rule.replicas);
    const given = check.count(at(obj, rule.replicas), [...base, ...rule.replicas]);
    if (given === undefined) replicasSource = `${field} not set: Kubernetes defaults it to 1`;
    else {
      replicas = given;
      replicasSource = field;
    }
  }
  const status = kind === 'Pod' ? check.map(obj.status, [...base, 'status']) : undefined;
  const started = status ? checkStartTime(status.startTime, [...base, 'status', 'startTime'], check) : undefined;
  // A workload with a problem is not read further: its spec is not what the API server would store.
  if (spec === undefined || check.problems.length > before) return;

  const podMetadata: PodMetadata = { labels: stringMap(podMeta.labels), annotations: stringMap(podMeta.annotations) };
  if (typeof podMeta.name === 'string') podMetadata.name = podMeta.name;
  if (typeof podMeta.uid === 'string') podMetadata.uid = podMeta.uid;
  const w: Workload = {
    kind,
    namespace,
    namespaceSet: nsSet,
    name,
    replicas,
    replicasSource,
    template,
    podMetadata,
    // Checked above: every token-related field has its Kubernetes type.
    podSpec: spec as PodSpecShape,
    document: doc.index,
    path: formatFieldPath(base),
    range,
  };
  if (started) {
    w.startTime = started.text;
    w.startTimeMs = started.ms;
  }
  into.workloads.push(w);
}

/** The workloads and service accounts of parsed documents, or every located problem (`earlier`: the parser's). */
export function workloadsOf(documents: readonly ManifestDocument[], earlier: readonly ManifestProblem[] = []): ManifestReadResult {
  const contents: ManifestContents = { workloads: [], serviceAccounts: [], skipped: [] };
  const problems: ManifestProblem[] = [...earlier];
  for (const doc of documents) readObject(doc.object, [], doc, new FieldChecker(doc, problems), contents);
  return problems.length > 0 ? { ok: false, errors: sortProblems(problems) } : { ok: true, ...contents };
}

/** A manifest text → its workloads, or every problem (syntax first: then nothing else is checked). */
export function readManifest(text: string): ManifestReadResult {
  const parsed = parseManifestDocuments(text);
  return workloadsOf(parsed.documents, parsed.errors);
}

/** "Deployment shop/web": how the CLI and the UI name a workload. */
export function workloadTitle(w: Pick<Workload, 'kind' | 'namespace' | 'name'>): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}
