/**
 * The refreshers' scenario section: `refreshers`, client-side programs that call TokenRequest
 * themselves (today Calico CNI's TokenRefresher). A subject: a scenario may hold only refreshers.
 */
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import type { JsonObject, Rule } from '../fieldRule';
import { checkPositive, childPath, itemPath, type CheckContext, type Loose, type Section } from '../section';
import { formatDuration } from '../units/duration';
import { REFRESHER_DEFAULTS, type RefresherSpec } from './refresherSpec';
import { refresherWhatIf } from './whatIf';


// The file slice as the validator hands it over (durations in ms).

export interface RefresherFile {
  kind: 'calico';
  name?: string;
  namespace?: string;
  serviceAccount?: string;
  expirationSeconds?: number;
  refreshInterval?: number;
}

export interface RefreshersFile {
  refreshers?: RefresherFile[];
}

export interface RefreshersSlice {
  refreshers: RefresherSpec[];
}

const refreshers: Rule = {
  kind: 'array',
  description: 'Client-side token refreshers that call TokenRequest themselves.',
  items: {
    kind: 'object',
    properties: {
      kind: {
        kind: 'string',
        enum: ['calico'],
        description: "calico: Calico CNI's TokenRefresher (sleeps a quarter to a half of the remaining lifetime).",
      },
      name: { kind: 'string', minLength: 1, description: 'Default: calico-node (calico-node-<i> for later ones).' },
      namespace: {
        kind: 'string',
        minLength: 1,
        default: REFRESHER_DEFAULTS.calicoNamespace,
        description: "Namespace of the refresher's service account.",
      },
      serviceAccount: {
        kind: 'string',
        minLength: 1,
        default: REFRESHER_DEFAULTS.calicoServiceAccount,
        description: 'The service account the refresher requests tokens for (calico-node before Calico v3.26).',
      },
      expirationSeconds: {
        description: 'Requested lifetime; Calico asks for one day. Not pod-bound, so never extended.',
        kind: 'integer',
        minimum: MIN_EXPIRATION_SECONDS,
        maximum: MAX_EXPIRATION_SECONDS,
        default: REFRESHER_DEFAULTS.calicoExpirationSeconds,
        hint: 'the API server rejects lifetimes under 10 minutes or over 2^32 seconds (SPEC D.1)',
      },
      refreshInterval: {
        kind: 'duration',
        description: 'CNI_TOKEN_REFRESH_INTERVAL (Calico v3.30+): base sleep instead of a quarter of the remaining lifetime.',
      },
    },
    required: ['kind'],
  },
  default: [],
};

/** A refresher's name: as written, else "calico-node" for the first and "calico-node-<i>" for others. */
export function refresherName(name: string | undefined, index: number): string {
  return name ?? (index === 0 ? 'calico-node' : `calico-node-${index}`);
}

function check(file: Loose<RefreshersFile>, context: CheckContext): void {
  const names = new Map<string, string>();
  (file.refreshers ?? []).forEach((r, i) => {
    const path = itemPath('refreshers', i);
    if (r === undefined) return;
    checkPositive(context, childPath(path, 'refreshInterval'), r.refreshInterval, 'refreshInterval');
    const name = refresherName(r.name, i);
    const first = names.get(name);
    if (first !== undefined) context.error(childPath(path, r.name === undefined ? 'kind' : 'name'), `duplicate refresher name "${name}" (also ${first})`);
    else names.set(name, path);
  });
}

function normalize(file: RefreshersFile): RefreshersSlice {
  return {
    refreshers: (file.refreshers ?? []).map((r, i) => ({
      kind: r.kind,
      name: refresherName(r.name, i),
      namespace: r.namespace ?? REFRESHER_DEFAULTS.calicoNamespace,
      serviceAccount: r.serviceAccount ?? REFRESHER_DEFAULTS.calicoServiceAccount,
      expirationSeconds: r.expirationSeconds ?? REFRESHER_DEFAULTS.calicoExpirationSeconds,
      ...(r.refreshInterval === undefined ? {} : { refreshIntervalMs: r.refreshInterval }),
    })),
  };
}

/** Every field written (names included, so a reordered list keeps its names); none at all when empty. */
function serialize(s: RefreshersSlice): JsonObject {
  if (s.refreshers.length === 0) return {};
  return {
    refreshers: s.refreshers.map((r) => {
      const refresher: JsonObject = {
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        expirationSeconds: r.expirationSeconds,
      };
      if (r.refreshIntervalMs !== undefined) refresher.refreshInterval = formatDuration(r.refreshIntervalMs);
      return refresher;
    }),
  };
}

export const refresherSection: Section<RefreshersFile, RefreshersSlice> = {
  id: 'refresher',
  settings: {},
  subjects: { refreshers },
  defaults: REFRESHER_DEFAULTS,
  check,
  normalize,
  serialize,
  whatIf: refresherWhatIf,
};
