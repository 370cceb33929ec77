/**
 * The API server's scenario section: `apiServer` (the TokenRequest endpoint: issuer, audiences,
 * expiration flags, outages, errors, latency) and `signer` (an optional external JWT signer and the
 * API server's key cache). Neither is a subject: an API server alone simulates nothing.
 */
import { durationDefault, type JsonObject, type JsonValue, type ObjectRule, type Rule } from '../fieldRule';
import {
  checkBeforeHorizon,
  checkPositive,
  checkWholeSeconds,
  childPath,
  itemPath,
  type CheckContext,
  type Loose,
  type Section,
} from '../section';
import { formatDuration } from '../units/duration';
import { apiServerWhatIf } from './whatIf';
import type { ApiServerSpec, Outage, SignerSpec } from './apiServerSpec';
import { WARN_ONLY_EXPIRATION_SECONDS } from './tokenIssuer';
import { MAX_EXPIRATION_SECONDS, MIN_MAX_TOKEN_EXPIRATION_SECONDS } from './tokenRequest';

/** The file's values for what the user leaves out; the schema publishes the same constants. */
export const API_SERVER_DEFAULTS = {
  issuer: 'https://kubernetes.default.svc.cluster.local',
  maxTokenExpiration: 0,
  extendTokenExpiration: true,
  errorRate: 0,
  latency: '0s',
} as const;

// The file slice as the validator hands it over (durations in ms).

export interface OutageFile {
  from: number;
  to: number;
}

export interface ApiServerFile {
  apiServer?: {
    issuer?: string;
    audiences?: string[];
    maxTokenExpiration?: number;
    extendTokenExpiration?: boolean;
    outages?: OutageFile[];
    errorRate?: number;
    latency?: number;
  };
  signer?: {
    refreshHint: number;
    rotations?: { at: number; dropOldKeyAfter?: number }[];
    outages?: OutageFile[];
  };
}

export interface ApiServerSlice {
  apiServer: ApiServerSpec;
  signer?: SignerSpec;
}

const outage: ObjectRule = {
  kind: 'object',
  properties: {
    from: { kind: 'duration', description: "Start, from the scenario's start (inclusive)." },
    to: { kind: 'duration', description: "End, from the scenario's start (exclusive); after from." },
  },
  required: ['from', 'to'],
};

/** Outage lists are published once in the schema ($defs/outages); each use says what fails. */
const outages = (description: string): Rule => ({ kind: 'array', items: outage, default: [], shared: 'outages', description });

const apiServer: Rule = {
  kind: 'object',
  description: "The kube-apiserver's TokenRequest endpoint.",
  properties: {
    issuer: { kind: 'string', minLength: 1, default: API_SERVER_DEFAULTS.issuer, description: '--service-account-issuer.' },
    audiences: {
      kind: 'array',
      items: { kind: 'string', minLength: 1 },
      minItems: 1,
      description: '--api-audiences. Default: [issuer].',
    },
    maxTokenExpiration: {
      kind: 'durationOrZero',
      default: API_SERVER_DEFAULTS.maxTokenExpiration,
      description:
        '--service-account-max-token-expiration: longer requests are shortened to it. 0 = no cap; otherwise between 1h and 2^32 seconds.',
    },
    extendTokenExpiration: {
      kind: 'boolean',
      default: API_SERVER_DEFAULTS.extendTokenExpiration,
      description:
        "--service-account-extend-token-expiration: pod-bound 3607 s tokens for the API server's audiences get a one-year JWT (the status still says 3607 s).",
    },
    outages: outages('Periods when every TokenRequest fails.'),
    errorRate: {
      kind: 'number',
      minimum: 0,
      maximum: 1,
      default: API_SERVER_DEFAULTS.errorRate,
      description: 'Probability that a TokenRequest outside an outage fails.',
    },
    latency: { kind: 'duration', default: API_SERVER_DEFAULTS.latency, description: 'How long each TokenRequest takes.' },
  },
};

const signer: Rule = {
  kind: 'object',
  description: 'An external JWT signer (--service-account-signing-endpoint) and its key cache in the API server.',
  properties: {
    refreshHint: {
      kind: 'duration',
      description:
        "The signer's refresh hint: the API server fetches the public keys again this long after each fetch. Must be > 0 and whole seconds.",
    },
    rotations: {
      kind: 'array',
      description: 'Key rotations, in time order.',
      items: {
        kind: 'object',
        properties: {
          at: { kind: 'duration', description: 'When the signer starts signing with a new key, from start.' },
          dropOldKeyAfter: {
            kind: 'duration',
            description:
              'How long after the rotation the old public key stops being published (tokens signed with it stop authenticating). Absent: kept.',
          },
        },
        required: ['at'],
      },
      default: [],
    },
    outages: outages("Periods when the signer is unreachable: FetchKeys fails (the API server keeps the old keys) and TokenRequests fail too, since the signer signs every token."),
  },
  required: ['refreshHint'],
};

function check(file: Loose<ApiServerFile>, context: CheckContext): void {
  const api = file.apiServer;
  if (api !== undefined) {
    const max = api.maxTokenExpiration;
    if (max !== undefined && max !== 0) {
      checkWholeSeconds(context, 'apiServer.maxTokenExpiration', max, 'maxTokenExpiration');
      if (max < MIN_MAX_TOKEN_EXPIRATION_SECONDS * 1000 || max > MAX_EXPIRATION_SECONDS * 1000) {
        // The kube-apiserver refuses to start with such a flag (SPEC D.4).
        context.error('apiServer.maxTokenExpiration', 'maxTokenExpiration must be 0 (no cap) or between 1h and 2^32 seconds (SPEC D.4)');
      } else if (max < WARN_ONLY_EXPIRATION_SECONDS * 1000 && (api.extendTokenExpiration ?? API_SERVER_DEFAULTS.extendTokenExpiration)) {
        context.warn(
          'apiServer.maxTokenExpiration',
          `maxTokenExpiration ${formatDuration(max)} is below 3607 s: kube-api-access tokens are clamped first and so never extended (SPEC D.1 steps 7–8, D.4)`,
        );
      }
    }
    checkOutages('apiServer.outages', api.outages, context);
  }

  const keys = file.signer;
  if (keys !== undefined) {
    checkPositive(context, 'signer.refreshHint', keys.refreshHint, 'refreshHint');
    checkWholeSeconds(context, 'signer.refreshHint', keys.refreshHint, 'refreshHint');
    let previous: number | undefined;
    (keys.rotations ?? []).forEach((rotation, i) => {
      const path = itemPath('signer.rotations', i);
      const at = rotation?.at;
      if (at === undefined) return;
      if (previous !== undefined && at <= previous) context.error(childPath(path, 'at'), 'rotations must be listed in increasing time order');
      previous = at;
      checkBeforeHorizon(context, childPath(path, 'at'), at, 'this rotation');
    });
    checkOutages('signer.outages', keys.outages, context);
  }
}

function checkOutages(path: string, list: Loose<OutageFile[]> | undefined, context: CheckContext): void {
  const valid: { from: number; to: number; path: string }[] = [];
  (list ?? []).forEach((o, i) => {
    const p = itemPath(path, i);
    if (o?.from === undefined || o.to === undefined) return;
    if (o.from >= o.to) {
      context.error(childPath(p, 'to'), `outage must end after it starts: from ${formatDuration(o.from)} is not before to ${formatDuration(o.to)}`);
      return;
    }
    checkBeforeHorizon(context, childPath(p, 'from'), o.from, 'this outage');
    valid.push({ from: o.from, to: o.to, path: p });
  });
  const sorted = [...valid].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1], sorted[i]];
    if (prev !== undefined && cur !== undefined && cur.from < prev.to) {
      context.warn(cur.path, `outage overlaps ${prev.path} (${formatDuration(prev.from)}–${formatDuration(prev.to)})`);
    }
  }
}

function normalize(file: ApiServerFile): ApiServerSlice {
  const api = file.apiServer ?? {};
  const issuer = api.issuer ?? API_SERVER_DEFAULTS.issuer;
  const slice: ApiServerSlice = {
    apiServer: {
      issuer,
      audiences: api.audiences ? [...api.audiences] : [issuer],
      maxTokenExpirationSeconds: (api.maxTokenExpiration ?? API_SERVER_DEFAULTS.maxTokenExpiration) / 1000,
      extendTokenExpiration: api.extendTokenExpiration ?? API_SERVER_DEFAULTS.extendTokenExpiration,
      outages: normalizeOutages(api.outages),
      errorRate: api.errorRate ?? API_SERVER_DEFAULTS.errorRate,
      latencyMs: api.latency ?? durationDefault(API_SERVER_DEFAULTS.latency),
    },
  };
  if (file.signer !== undefined) {
    slice.signer = {
      refreshHintSeconds: file.signer.refreshHint / 1000,
      rotations: (file.signer.rotations ?? []).map((r) =>
        r.dropOldKeyAfter === undefined ? { at: r.at } : { at: r.at, dropOldKeyAfter: r.dropOldKeyAfter },
      ),
      outages: normalizeOutages(file.signer.outages),
    };
  }
  return slice;
}

function normalizeOutages(list: OutageFile[] | undefined): Outage[] {
  return (list ?? []).map((o) => ({ from: o.from, to: o.to }));
}

const writeOutages = (list: Outage[]): JsonValue[] => list.map((o) => ({ from: formatDuration(o.from), to: formatDuration(o.to) }));

/** Writes what differs from the defaults, except issuer, audiences and the extension flag (always shown). */
function serialize(s: ApiServerSlice): JsonObject {
  const api: JsonObject = {
    issuer: s.apiServer.issuer,
    audiences: [...s.apiServer.audiences],
    extendTokenExpiration: s.apiServer.extendTokenExpiration,
  };
  if (s.apiServer.maxTokenExpirationSeconds > 0) api.maxTokenExpiration = formatDuration(s.apiServer.maxTokenExpirationSeconds * 1000);
  if (s.apiServer.outages.length) api.outages = writeOutages(s.apiServer.outages);
  if (s.apiServer.errorRate > 0) api.errorRate = s.apiServer.errorRate;
  if (s.apiServer.latencyMs > 0) api.latency = formatDuration(s.apiServer.latencyMs);
  const file: JsonObject = { apiServer: api };
  if (s.signer) {
    const keys: JsonObject = { refreshHint: formatDuration(s.signer.refreshHintSeconds * 1000) };
    if (s.signer.rotations.length) {
      keys.rotations = s.signer.rotations.map((r) => {
        const rotation: JsonObject = { at: formatDuration(r.at) };
        if (r.dropOldKeyAfter !== undefined) rotation.dropOldKeyAfter = formatDuration(r.dropOldKeyAfter);
        return rotation;
      });
    }
    if (s.signer.outages.length) keys.outages = writeOutages(s.signer.outages);
    file.signer = keys;
  }
  return file;
}

export const apiServerSection: Section<ApiServerFile, ApiServerSlice> = {
  id: 'apiserver',
  settings: { apiServer, signer },
  subjects: {},
  defaults: API_SERVER_DEFAULTS,
  check,
  normalize,
  serialize,
  whatIf: apiServerWhatIf,
};
