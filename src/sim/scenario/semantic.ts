/**
 * Cross-field and range rules that a JSON Schema cannot say (or cannot say clearly): durations
 * that must be positive or whole seconds, outages with from < to, the API server's bounds on
 * --service-account-max-token-expiration, unique pods and token paths. Runs over a possibly
 * partial file (see Loose) so that its errors are reported together with structural ones.
 */
import { formatDuration } from '../units/duration';
import type { Loose, OutageFile, ScenarioFile } from './fileTypes';
import { MAX_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import { DEFAULTS, MAX_PODS } from './rules';
import { childPath, itemPath } from './validate';

export interface SemanticIssue {
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /** Point at the property's key rather than its value (for "this property should not be here"). */
  atKey?: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * `written(path)` tells whether the file has a property at `path` at all: a property whose value
 * failed validation is missing from `file` but must not be treated as absent (no "not set" warnings).
 */
export function checkScenario(file: Loose<ScenarioFile>, written: (path: string) => boolean): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const error = (path: string, message: string, atKey = false): void => {
    issues.push({ path, message, severity: 'error', atKey });
  };
  const warn = (path: string, message: string): void => {
    issues.push({ path, message, severity: 'warning' });
  };
  const horizon = file.horizon;
  const positive = (path: string, ms: number | undefined, what: string): void => {
    if (ms === 0) error(path, `${what} must be greater than 0`);
  };
  const wholeSeconds = (path: string, ms: number | undefined, what: string): void => {
    if (ms !== undefined && ms % 1000 !== 0) error(path, `${what} must be a whole number of seconds, got ${formatDuration(ms)}`);
  };
  const afterHorizon = (path: string, at: number | undefined, what: string): void => {
    if (at !== undefined && horizon !== undefined && horizon > 0 && at >= horizon) {
      warn(path, `${what} (${formatDuration(at)}) is at or after the horizon (${formatDuration(horizon)}): it never happens in this run`);
    }
  };

  positive('horizon', horizon, 'horizon');
  positive('kubelet.syncFrequency', file.kubelet?.syncFrequency, 'syncFrequency');
  positive('output.seriesInterval', file.output?.seriesInterval, 'seriesInterval');

  const api = file.apiServer;
  if (api !== undefined) {
    const max = api.maxTokenExpiration;
    if (max !== undefined && max !== 0) {
      wholeSeconds('apiServer.maxTokenExpiration', max, 'maxTokenExpiration');
      if (max < HOUR_MS || max > MAX_EXPIRATION_SECONDS * 1000) {
        // The kube-apiserver refuses to start with such a flag (SPEC D.4).
        error('apiServer.maxTokenExpiration', 'maxTokenExpiration must be 0 (no cap) or between 1h and 2^32 seconds (SPEC D.4)');
      } else if (max < 3607_000 && (api.extendTokenExpiration ?? DEFAULTS.extendTokenExpiration)) {
        warn(
          'apiServer.maxTokenExpiration',
          `maxTokenExpiration ${formatDuration(max)} is below 3607 s: kube-api-access tokens are clamped first and so never extended (SPEC D.1 steps 7–8, D.4)`,
        );
      }
    }
    checkOutages('apiServer.outages', api.outages, error, warn, afterHorizon);
  }

  const signer = file.signer;
  if (signer !== undefined) {
    positive('signer.refreshHint', signer.refreshHint, 'refreshHint');
    wholeSeconds('signer.refreshHint', signer.refreshHint, 'refreshHint');
    let previous: number | undefined;
    (signer.rotations ?? []).forEach((rotation, i) => {
      const path = itemPath('signer.rotations', i);
      const at = rotation?.at;
      if (at === undefined) return;
      if (previous !== undefined && at <= previous) error(childPath(path, 'at'), 'rotations must be listed in increasing time order');
      previous = at;
      afterHorizon(childPath(path, 'at'), at, 'this rotation');
    });
    checkOutages('signer.outages', signer.outages, error, warn, afterHorizon);
  }

  checkPods(file, written, error, warn, afterHorizon);

  const refresherNames = new Map<string, string>();
  (file.refreshers ?? []).forEach((r, i) => {
    const path = itemPath('refreshers', i);
    if (r === undefined) return;
    positive(childPath(path, 'refreshInterval'), r.refreshInterval, 'refreshInterval');
    const name = refresherName(r.name, i);
    const first = refresherNames.get(name);
    if (first !== undefined) error(childPath(path, r.name === undefined ? 'kind' : 'name'), `duplicate refresher name "${name}" (also ${first})`);
    else refresherNames.set(name, path);
  });

  return issues;
}

/** A refresher's name: as written, else "calico-node" for the first and "calico-node-<i>" for others. */
export function refresherName(name: string | undefined, index: number): string {
  return name ?? (index === 0 ? 'calico-node' : `calico-node-${index}`);
}

/** Pod names after replica expansion: "web" with replicas 3 → web-0, web-1, web-2. */
export function replicaNames(name: string, replicas: number | undefined): string[] {
  if (replicas === undefined) return [name];
  return Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
}

type Report = (path: string, message: string) => void;
type ReportError = (path: string, message: string, atKey?: boolean) => void;
type AfterHorizon = (path: string, at: number | undefined, what: string) => void;

function checkOutages(
  path: string,
  outages: (Loose<OutageFile> | undefined)[] | undefined,
  error: ReportError,
  warn: Report,
  afterHorizon: AfterHorizon,
): void {
  const valid: { from: number; to: number; path: string }[] = [];
  (outages ?? []).forEach((o, i) => {
    const p = itemPath(path, i);
    if (o?.from === undefined || o.to === undefined) return;
    if (o.from >= o.to) {
      error(childPath(p, 'to'), `outage must end after it starts: from ${formatDuration(o.from)} is not before to ${formatDuration(o.to)}`);
      return;
    }
    afterHorizon(childPath(p, 'from'), o.from, 'this outage');
    valid.push({ from: o.from, to: o.to, path: p });
  });
  const sorted = [...valid].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1], sorted[i]];
    if (prev !== undefined && cur !== undefined && cur.from < prev.to) {
      warn(cur.path, `outage overlaps ${prev.path} (${formatDuration(prev.from)}–${formatDuration(prev.to)})`);
    }
  }
}

function checkPods(
  file: Loose<ScenarioFile>,
  written: (path: string) => boolean,
  error: ReportError,
  warn: Report,
  afterHorizon: AfterHorizon,
): void {
  const podsByName = new Map<string, string>();
  const podsByUid = new Map<string, string>();
  let total = 0;
  (file.pods ?? []).forEach((pod, i) => {
    const path = itemPath('pods', i);
    if (pod === undefined) return;
    const replicas = pod.replicas;
    total += replicas ?? 1;
    if (pod.uid !== undefined && replicas !== undefined && replicas > 1) {
      error(childPath(path, 'uid'), 'uid cannot be set when replicas > 1: each replica gets its own uid derived from its name', true);
    }
    if (pod.uid !== undefined) {
      const first = podsByUid.get(pod.uid);
      if (first !== undefined) error(childPath(path, 'uid'), `duplicate uid "${pod.uid}" (also ${first})`);
      else podsByUid.set(pod.uid, path);
    }
    afterHorizon(childPath(path, 'deleteAt'), pod.deleteAt, 'deleteAt');

    if (pod.name !== undefined && total <= MAX_PODS) {
      const ns = pod.namespace ?? DEFAULTS.namespace;
      for (const name of replicaNames(pod.name, replicas)) {
        const first = podsByName.get(`${ns}/${name}`);
        if (first !== undefined) {
          error(childPath(path, 'name'), `duplicate pod ${ns}/${name} (also from ${first})`);
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
        if (first !== undefined) error(childPath(tpath, 'path'), `duplicate token path "${token.path}" in this pod (also ${first})`);
        else paths.set(token.path, tpath);
      }
      if (!written(childPath(tpath, 'expirationSeconds'))) {
        warn(
          tpath,
          'no expirationSeconds: the kubelet never refreshes such a token (SPEC A.5 step 1); a real pod gets 3600 from API defaulting',
        );
      }
    });
  });
  if (total > MAX_PODS) error('pods', `too many pods after expanding replicas: ${total} (at most ${MAX_PODS})`);
}
