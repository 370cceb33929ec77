/**
 * The structural rules of the scenario FILE format, as data. validate.ts walks a YAML document
 * alongside these rules; scenario.schema.json publishes the same rules for editors. A unit test
 * (test/unit/scenario/schema.test.ts) derives a JSON Schema skeleton from this table and requires it
 * to equal the published schema, so adding a field in one place and not the other fails the build.
 * Cross-field rules (from < to, ranges of durations, uniqueness) live in semantic.ts.
 */
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';

/** JSON values a default can take (what a JSON Schema "default" can hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface Common {
  /** Published as the schema's "default"; normalize.ts uses the same constants from DEFAULTS. */
  default?: JsonValue;
  /** Appended to this value's type/enum/range errors, to say why or how to fix it. Not part of the schema. */
  hint?: string;
}

export type Rule = Common &
  (
    | { kind: 'string'; minLength?: number; enum?: readonly string[] }
    /** RFC 3339 date-time string (schema: type string, format date-time). */
    | { kind: 'dateTime' }
    /** A duration string (schema: $ref #/$defs/duration); the walker turns it into ms. */
    | { kind: 'duration' }
    /** A duration string or the number 0 (schema: anyOf [duration, const 0]). */
    | { kind: 'durationOrZero' }
    | { kind: 'integer'; minimum?: number; maximum?: number }
    | { kind: 'number'; minimum?: number; maximum?: number }
    | { kind: 'boolean' }
    | { kind: 'array'; items: Rule; minItems?: number }
    | ObjectRule
  );

export interface ObjectRule extends Common {
  kind: 'object';
  properties: Readonly<Record<string, Rule>>;
  required?: readonly string[];
  /** Pairs of properties that may not both be present (schema: allOf [{ not: { required: [a, b] } }]). */
  exclusive?: readonly (readonly [string, string])[];
}

/** Defaults shared by the schema ("default") and the normalizer, so they cannot disagree. */
export const DEFAULTS = {
  seed: 1,
  syncFrequency: '1m',
  kubeletVersion: '1.34',
  issuer: 'https://kubernetes.default.svc.cluster.local',
  maxTokenExpiration: 0,
  extendTokenExpiration: true,
  errorRate: 0,
  latency: '0s',
  namespace: 'default',
  serviceAccount: 'default',
  replicas: 1,
  calicoNamespace: 'calico-system',
  calicoServiceAccount: 'calico-cni-plugin',
  calicoExpirationSeconds: 86_400,
  maxDetailedLanes: 200,
  seriesInterval: '1m',
} as const;

/** Upper bound on pods after replica expansion: keeps a typo (replicas: 1e9) from exhausting memory. */
export const MAX_PODS = 100_000;

export const KUBELET_VERSIONS = ['1.19', '1.20', '1.34'] as const;

const outage: ObjectRule = {
  kind: 'object',
  properties: { from: { kind: 'duration' }, to: { kind: 'duration' } },
  required: ['from', 'to'],
};

const outages: Rule = { kind: 'array', items: outage, default: [] };

const token: ObjectRule = {
  kind: 'object',
  properties: {
    path: { kind: 'string', minLength: 1 },
    audience: { kind: 'string' },
    audiences: { kind: 'array', items: { kind: 'string' } },
    expirationSeconds: {
      kind: 'integer',
      minimum: MIN_EXPIRATION_SECONDS,
      maximum: MAX_EXPIRATION_SECONDS,
      hint: 'the API server rejects lifetimes under 10 minutes or over 2^32 seconds (SPEC D.1)',
    },
  },
  required: ['path'],
  exclusive: [['audience', 'audiences']],
};

const pod: ObjectRule = {
  kind: 'object',
  properties: {
    name: { kind: 'string', minLength: 1 },
    namespace: { kind: 'string', minLength: 1, default: DEFAULTS.namespace },
    serviceAccount: { kind: 'string', minLength: 1, default: DEFAULTS.serviceAccount },
    uid: { kind: 'string', minLength: 1 },
    replicas: { kind: 'integer', minimum: 1, maximum: MAX_PODS, default: DEFAULTS.replicas },
    tokens: { kind: 'array', items: token },
    deleteAt: { kind: 'duration' },
  },
  required: ['name', 'tokens'],
};

const refresher: ObjectRule = {
  kind: 'object',
  properties: {
    kind: { kind: 'string', enum: ['calico'] },
    name: { kind: 'string', minLength: 1 },
    namespace: { kind: 'string', minLength: 1, default: DEFAULTS.calicoNamespace },
    serviceAccount: { kind: 'string', minLength: 1, default: DEFAULTS.calicoServiceAccount },
    expirationSeconds: {
      kind: 'integer',
      minimum: MIN_EXPIRATION_SECONDS,
      maximum: MAX_EXPIRATION_SECONDS,
      default: DEFAULTS.calicoExpirationSeconds,
      hint: 'the API server rejects lifetimes under 10 minutes or over 2^32 seconds (SPEC D.1)',
    },
    refreshInterval: { kind: 'duration' },
  },
  required: ['kind'],
};

/** The whole file. */
export const SCENARIO_RULES: ObjectRule = {
  kind: 'object',
  properties: {
    // Lets JSON files name their schema for editors; ignored by the loader.
    $schema: { kind: 'string' },
    name: { kind: 'string' },
    seed: { kind: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: DEFAULTS.seed },
    start: { kind: 'dateTime' },
    horizon: { kind: 'duration' },
    kubelet: {
      kind: 'object',
      properties: {
        syncFrequency: { kind: 'duration', default: DEFAULTS.syncFrequency },
        version: {
          kind: 'string',
          enum: KUBELET_VERSIONS,
          default: DEFAULTS.kubeletVersion,
          hint: 'quote it: YAML reads an unquoted 1.20 as the number 1.2',
        },
      },
    },
    apiServer: {
      kind: 'object',
      properties: {
        issuer: { kind: 'string', minLength: 1, default: DEFAULTS.issuer },
        audiences: { kind: 'array', items: { kind: 'string', minLength: 1 }, minItems: 1 },
        maxTokenExpiration: { kind: 'durationOrZero', default: DEFAULTS.maxTokenExpiration },
        extendTokenExpiration: { kind: 'boolean', default: DEFAULTS.extendTokenExpiration },
        outages,
        errorRate: { kind: 'number', minimum: 0, maximum: 1, default: DEFAULTS.errorRate },
        latency: { kind: 'duration', default: DEFAULTS.latency },
      },
    },
    signer: {
      kind: 'object',
      properties: {
        refreshHint: { kind: 'duration' },
        rotations: {
          kind: 'array',
          items: {
            kind: 'object',
            properties: { at: { kind: 'duration' }, dropOldKeyAfter: { kind: 'duration' } },
            required: ['at'],
          },
          default: [],
        },
        outages,
      },
      required: ['refreshHint'],
    },
    pods: { kind: 'array', items: pod },
    refreshers: { kind: 'array', items: refresher, default: [] },
    output: {
      kind: 'object',
      properties: {
        maxDetailedLanes: { kind: 'integer', minimum: 0, default: DEFAULTS.maxDetailedLanes },
        seriesInterval: { kind: 'duration', default: DEFAULTS.seriesInterval },
      },
    },
  },
  required: ['start', 'horizon', 'pods'],
};
