/**
 * The demo cluster's storage: objects kept in etcd key order, with list semantics of the API server's
 * etcd3 store: `limit` / `continue` pagination (continue token = base64 JSON {v, rv, start} like the real
 * one), `remainingItemCount`, label and field selectors, a global resourceVersion, and compaction that
 * expires old continue tokens (410 Expired).
 */
import type { KObject } from './objects';
import { badRequest, continueExpired } from './status';

export type ResourceName = 'namespaces' | 'nodes' | 'pods' | 'serviceaccounts' | 'secrets';

export interface ResourceInfo {
  name: ResourceName;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Fields a fieldSelector may use besides metadata.name / metadata.namespace. */
  fields: Record<string, (o: KObject) => string | undefined>;
}

const get = (path: string[]) => (o: KObject): string | undefined => {
  let v: unknown = o;
  for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
  return typeof v === 'string' ? v : v === undefined ? undefined : String(v);
};

export const RESOURCES: Record<ResourceName, ResourceInfo> = {
  namespaces: {
    name: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    fields: { 'status.phase': get(['status', 'phase']) },
  },
  nodes: { name: 'nodes', singular: 'node', kind: 'Node', listKind: 'NodeList', namespaced: false, shortNames: ['no'], fields: { 'spec.unschedulable': get(['spec', 'unschedulable']) } },
  pods: {
    name: 'pods',
    singular: 'pod',
    kind: 'Pod',
    listKind: 'PodList',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    fields: {
      'spec.nodeName': get(['spec', 'nodeName']),
      'spec.restartPolicy': get(['spec', 'restartPolicy']),
      'spec.schedulerName': get(['spec', 'schedulerName']),
      'spec.serviceAccountName': get(['spec', 'serviceAccountName']),
      'spec.hostNetwork': (o) => String((o.spec as { hostNetwork?: boolean }).hostNetwork ?? false),
      'status.phase': get(['status', 'phase']),
      'status.podIP': get(['status', 'podIP']),
      'status.nominatedNodeName': get(['status', 'nominatedNodeName']),
    },
  },
  serviceaccounts: { name: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', listKind: 'ServiceAccountList', namespaced: true, shortNames: ['sa'], fields: {} },
  secrets: { name: 'secrets', singular: 'secret', kind: 'Secret', listKind: 'SecretList', namespaced: true, fields: { type: get(['type']) } },
};

export interface ListOptions {
  namespace?: string;
  limit?: number;
  continueToken?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

const keyOf = (o: KObject): string => (o.metadata.namespace !== undefined ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

/** Byte-order comparison (keys are ASCII), as etcd orders keys. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

class Collection {
  /** Sorted by key. */
  items: KObject[] = [];
  byKey = new Map<string, KObject>();

  /** Index of the first item with key >= k. */
  lowerBound(k: string): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(keyOf(this.items[mid] as KObject), k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  bulkLoad(objs: KObject[]): void {
    for (const o of objs) this.byKey.set(keyOf(o), o);
    this.items = [...this.byKey.values()].sort((a, b) => cmp(keyOf(a), keyOf(b)));
  }

  put(o: KObject): void {
    const k = keyOf(o);
    const i = this.lowerBound(k);
    if (this.byKey.has(k)) this.items[i] = o;
    else this.items.splice(i, 0, o);
    this.byKey.set(k, o);
  }

  remove(k: string): KObject | undefined {
    const o = this.byKey.get(k);
    if (!o) return undefined;
    this.items.splice(this.lowerBound(k), 1);
    this.byKey.delete(k);
    return o;
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors (k8s.io/apimachinery/pkg/labels and fields, the subset kubectl and clients send).

type Requirement = { key: string; op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists'; values: string[] };

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function parseLabelSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((part) => {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) return check({ key: m[1] as string, op: 'notexists', values: [] }, part);
    m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) return check({ key: m[1] as string, op: m[2] as 'in' | 'notin', values: (m[3] as string).split(',').map((v) => v.trim()) }, part);
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return check({ key: m[1] as string, op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3] as string] }, part);
    if (/^\S+$/.test(part)) return check({ key: part, op: 'exists', values: [] }, part);
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });

  function check(r: Requirement, part: string): Requirement {
    if (!LABEL_KEY.test(r.key)) throw badRequest(`unable to parse requirement: invalid label key "${r.key}" in "${part}"`);
    return r;
  }
}

function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'eq':
        return has && v === r.values[0];
      case 'neq':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v as string);
      case 'notin':
        return !has || !r.values.includes(v as string);
    }
    return false;
  });
}

type FieldReq = { field: string; op: 'eq' | 'neq'; value: string };

export function parseFieldSelector(text: string, info: ResourceInfo): FieldReq[] {
  return splitTopLevel(text).map((part) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${part}'; can't understand '${part}'`);
    const field = (m[1] as string).trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !Object.hasOwn(info.fields, field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, op: m[2] === '!=' ? 'neq' : 'eq', value: (m[3] as string).trim() };
  });
}

function matchesFields(reqs: FieldReq[], info: ResourceInfo, o: KObject): boolean {
  return reqs.every((r) => {
    const v = r.field === 'metadata.name' ? o.metadata.name : r.field === 'metadata.namespace' ? o.metadata.namespace : info.fields[r.field]?.(o);
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}

// ---------------------------------------------------------------------------------------------
// Continue tokens (k8s.io/apiserver/pkg/storage: EncodeContinue / DecodeContinue).

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(start: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

function decodeContinue(token: string): ContinueToken {
  const invalid = (why: string) => badRequest(`invalid continue token: ${why}`);
  let parsed: unknown;
  try {
    const text = Buffer.from(token, 'base64').toString('utf8');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token)) throw new Error('not base64');
    parsed = JSON.parse(text);
  } catch {
    throw invalid('continue key is not valid: illegal base64 data or JSON');
  }
  const c = parsed as Partial<ContinueToken>;
  if (typeof c !== 'object' || c === null || c.v !== 'meta.k8s.io/v1') throw invalid('continue key is not valid: server does not recognize this encoded version');
  if (typeof c.rv !== 'number' || !Number.isInteger(c.rv) || c.rv <= 0) throw invalid('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof c.start !== 'string' || c.start === '') throw invalid('continue key is not valid: encoded start key empty');
  if (c.start.includes('..') || c.start.startsWith('/')) throw invalid('continue key is not valid: path traversal in start key');
  return c as ContinueToken;
}

// ---------------------------------------------------------------------------------------------

/** A change as a watch reports it (the object as stored, with its new resourceVersion). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceName;
  object: KObject;
  rv: number;
}

/** How many past events a watch can start from (older resourceVersions get 410 Gone, as from etcd's window). */
const EVENT_WINDOW = 1000;

export class Store {
  private readonly collections = new Map<ResourceName, Collection>();
  private readonly watchers = new Set<(e: StoreEvent) => void>();
  private readonly events: StoreEvent[] = [];
  /** Watches from this resourceVersion on see every change (bulk loads and the window's trim move it). */
  private completeSinceRv = 0;
  private rv = 1;
  private compactedRv = 0;
  private lastCompactionMs: number;

  /**
   * @param now the clock; every `compactEveryMs` of it the store compacts (the API server asks etcd to
   *   compact every 5 minutes), which expires continue tokens issued before.
   */
  constructor(
    private readonly now: () => number,
    private readonly compactEveryMs = 5 * 60_000,
  ) {
    for (const name of Object.keys(RESOURCES) as ResourceName[]) this.collections.set(name, new Collection());
    this.lastCompactionMs = now();
  }

  private col(resource: ResourceName): Collection {
    return this.collections.get(resource) as Collection;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  bulkLoad(resource: ResourceName, objs: KObject[]): void {
    for (const o of objs) o.metadata.resourceVersion = String(++this.rv);
    this.col(resource).bulkLoad(objs);
    this.completeSinceRv = this.rv; // loaded without events
  }

  get(resource: ResourceName, name: string, namespace?: string): KObject | undefined {
    return this.col(resource).byKey.get(namespace !== undefined && RESOURCES[resource].namespaced ? `${namespace}/${name}` : name);
  }

  put(resource: ResourceName, o: KObject): KObject {
    const existed = this.col(resource).byKey.has(keyOf(o));
    o.metadata.resourceVersion = String(++this.rv);
    this.col(resource).put(o);
    this.emit({ type: existed ? 'MODIFIED' : 'ADDED', resource, object: o, rv: this.rv });
    return o;
  }

  delete(resource: ResourceName, name: string, namespace?: string): KObject | undefined {
    const removed = this.col(resource).remove(namespace !== undefined ? `${namespace}/${name}` : name);
    if (removed) {
      this.rv++;
      // The API server reports a deleted object with the resourceVersion of its deletion.
      const object = { ...removed, metadata: { ...removed.metadata, resourceVersion: String(this.rv) } };
      this.emit({ type: 'DELETED', resource, object, rv: this.rv });
    }
    return removed;
  }

  private emit(e: StoreEvent): void {
    this.events.push(e);
    if (this.events.length > EVENT_WINDOW) this.completeSinceRv = (this.events.shift() as StoreEvent).rv;
    for (const w of [...this.watchers]) w(e);
  }

  /**
   * Watches changes after `sinceRv` (events already in the window are replayed first, in order), or
   * returns 'gone' when `sinceRv` is older than the window. The result stops the watch.
   */
  watch(sinceRv: number, listener: (e: StoreEvent) => void): (() => void) | 'gone' {
    if (sinceRv < this.completeSinceRv) return 'gone';
    for (const e of this.events) if (e.rv > sinceRv) listener(e);
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  count(resource: ResourceName): number {
    return this.col(resource).items.length;
  }

  /** Expires every continue token issued so far (as an etcd compaction does). */
  compact(): void {
    this.rv++;
    this.compactedRv = this.rv - 1;
    this.lastCompactionMs = this.now();
  }

  private maybeCompact(): void {
    if (this.now() - this.lastCompactionMs >= this.compactEveryMs) this.compact();
  }

  list(resource: ResourceName, opts: ListOptions = {}): ListResult {
    this.maybeCompact();
    const info = RESOURCES[resource];
    const col = this.col(resource);
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : [];
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector, info) : [];
    const prefix = info.namespaced && opts.namespace !== undefined ? `${opts.namespace}/` : '';
    let listRv = this.rv;
    let startKey = prefix;
    if (opts.continueToken) {
      const c = decodeContinue(opts.continueToken);
      if (c.rv <= this.compactedRv) {
        // The real server offers a token that continues at the current revision (inconsistent list).
        throw continueExpired(encodeContinue(c.start, this.rv));
      }
      listRv = c.rv;
      startKey = prefix + c.start;
    }
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const items: KObject[] = [];
    let i = col.lowerBound(startKey);
    let lastKey: string | undefined;
    for (; i < col.items.length; i++) {
      const o = col.items[i] as KObject;
      const k = keyOf(o);
      if (prefix && !k.startsWith(prefix)) break;
      if (items.length >= limit) break;
      if (matchesLabels(labels, o.metadata.labels) && matchesFields(fields, info, o)) {
        items.push(o);
        lastKey = k;
      }
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    const more = i < col.items.length && (!prefix || keyOf(col.items[i] as KObject).startsWith(prefix));
    if (items.length >= limit && more && lastKey !== undefined) {
      result.continueToken = encodeContinue(`${lastKey.slice(prefix.length)}\u0000`, listRv);
      if (labels.length === 0 && fields.length === 0) {
        let end = col.items.length;
        if (prefix) end = col.lowerBound(`${prefix.slice(0, -1)}0`); // '0' is the byte after '/'
        result.remainingItemCount = end - i;
      }
    }
    return result;
  }
}
