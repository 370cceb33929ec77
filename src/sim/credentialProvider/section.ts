/**
 * The credential provider's scenario section: `credentialProvider`, a subject (a scenario may hold
 * only image pulls). The kubelet's CredentialProviderConfig is embedded as written and judged with the
 * kubelet's own decoding and validation (configDecode.ts), its messages placed at the offending line
 * of the scenario; the rest (plugin behaviour, service accounts, pulls) follows the rule table below.
 */
import { durationDefault, type JsonObject, type ObjectRule, type Rule } from '../fieldRule';
import { replicaNames, KUBELET_DEFAULTS } from '../kubelet/section';
import { checkBeforeHorizon, checkPositive, childPath, itemPath, type CheckContext, type IncludeReader, type Loose, type NormalizeContext, type Section } from '../section';
import { formatDuration } from '../units/duration';
import { CREDENTIAL_KUBELET_VERSIONS, DEFAULT_CREDENTIAL_KUBELET_VERSION, defaultServiceAccountTokenGate, type CredentialKubeletVersion, type CredentialProviderConfig } from './config';
import { loadCredentialProviderConfig, type ConfigFinding, type LoadedConfig } from './configDecode';
import { credentialProviderConfigToJson } from './configJson';
import { embeddedCredentialProviderConfigSchema } from './configSchema';
import { PLUGIN_DEFAULTS, type CredentialProviderSpec, type PluginBehaviour, type PluginStep, type PullSpec } from './credentialProviderSpec';
import { formatGoDuration, parseGoDuration } from './goDuration';
import { credentialProviderWhatIf } from './whatIf';

/** Upper bound on pulls in one run (pull times × images × burst): a typo (every: 1ms) must not exhaust memory. */
export const MAX_PULLS = 2_000_000;
export const MAX_BURST = 10_000;
const CONFIG_FILE_NAME = 'credentialProvider.config';

// The file slice as the validator hands it over (scenario durations in ms; Go durations as written).

export interface PluginStepFile {
  cacheKeyType?: string;
  cacheDuration?: string;
  auth?: Record<string, { username?: string }>;
  echoServiceAccountToken?: boolean;
  exitCode?: number;
  stderr?: string;
}

export interface PluginFile {
  latency?: number;
  errorRate?: number;
  responses?: PluginStepFile[];
}

export interface PullFile {
  image?: string;
  images?: string[];
  pod?: string;
  at?: number;
  every?: number;
  count?: number;
  burst?: number;
}

export interface CredentialProviderFile {
  credentialProvider?: {
    kubeletVersion?: CredentialKubeletVersion;
    serviceAccountTokenGate?: boolean;
    config?: unknown;
    configFile?: string;
    plugins?: Record<string, PluginFile>;
    serviceAccounts?: { namespace?: string; name: string; uid?: string; annotations?: Record<string, string> }[];
    pulls: PullFile[];
  };
  /** Read only to resolve `pod` references (the kubelet section owns them). */
  pods?: { name: string; namespace?: string; replicas?: number }[];
}

export interface CredentialProviderSlice {
  credentialProvider?: CredentialProviderSpec;
}

const response: ObjectRule = {
  kind: 'object',
  description: 'One answer of the plugin. Runs take these answers in turn, starting again after the last.',
  properties: {
    cacheKeyType: {
      kind: 'string',
      default: PLUGIN_DEFAULTS.cacheKeyType,
      description: 'Image, Registry or Global: which key the kubelet caches the answer under. Anything else makes the kubelet drop the answer.',
    },
    cacheDuration: {
      kind: 'string',
      description: 'How long the kubelet may cache the answer, as the plugin writes it (Go duration, e.g. "12h", "0s"). "0s": not cached at all. Absent: the provider\'s defaultCacheDuration.',
    },
    auth: {
      kind: 'map',
      values: { kind: 'object', properties: { username: { kind: 'string', default: PLUGIN_DEFAULTS.username, description: 'The registry user name returned.' } } },
      description: 'Logins returned, by registry or image pattern (e.g. "*.dkr.ecr.us-east-1.amazonaws.com"). Passwords are generated. Default: one per matchImages pattern of the provider.',
    },
    echoServiceAccountToken: {
      kind: 'boolean',
      default: false,
      description: 'The plugin returns the pod\'s service-account token itself as the password (only allowed with cacheType Token).',
    },
    exitCode: { kind: 'integer', minimum: 1, maximum: 255, description: 'The run fails with this exit code instead of answering.' },
    stderr: { kind: 'string', description: 'What a failing run writes to stderr.' },
  },
  exclusive: [['exitCode', 'cacheKeyType'], ['exitCode', 'cacheDuration'], ['exitCode', 'auth'], ['exitCode', 'echoServiceAccountToken']],
};

const plugin: Rule = {
  kind: 'object',
  description: 'How this provider\'s plugin behaves when the kubelet runs it.',
  properties: {
    latency: { kind: 'duration', default: PLUGIN_DEFAULTS.latency, description: 'How long one run takes. Pulls of the same image during a run join it.' },
    errorRate: { kind: 'number', minimum: 0, maximum: 1, default: PLUGIN_DEFAULTS.errorRate, description: 'Chance that a run fails (exit code 1) instead of answering.' },
    responses: { kind: 'array', items: response, minItems: 1, description: 'The answers, taken in turn. Default: one Registry answer with no cacheDuration.' },
  },
};

const serviceAccount: ObjectRule = {
  kind: 'object',
  properties: {
    namespace: { kind: 'string', minLength: 1, default: KUBELET_DEFAULTS.namespace, description: 'The service account\'s namespace.' },
    name: { kind: 'string', minLength: 1, description: 'The service account\'s name.' },
    uid: { kind: 'string', minLength: 1, description: 'The UID the kubelet sees. Default: the API server\'s own; a different one makes its token requests fail.' },
    annotations: { kind: 'map', values: { kind: 'string' }, description: 'Annotations the plugin may require (tokenAttributes annotation keys).' },
  },
  required: ['name'],
};

const pull: ObjectRule = {
  kind: 'object',
  properties: {
    image: { kind: 'string', minLength: 1, description: 'The image pulled, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.' },
    images: { kind: 'array', items: { kind: 'string', minLength: 1 }, minItems: 1, description: 'Several images pulled at the same moment (a pod with several containers).' },
    pod: { kind: 'string', minLength: 1, description: 'namespace/name of a pod in pods: its service account and token are used. Absent: a pull with no service account (like a static pod).' },
    at: { kind: 'duration', default: '0s', description: 'First pull, from start.' },
    every: { kind: 'duration', description: 'Pull again this often until the horizon (or count).' },
    count: { kind: 'integer', minimum: 1, description: 'At most this many pull times.' },
    burst: { kind: 'integer', minimum: 1, maximum: MAX_BURST, default: PLUGIN_DEFAULTS.burst, description: 'Concurrent copies of each pull, as when many pods start at once.' },
  },
  atLeastOneOf: { keys: ['image', 'images'], message: 'a pull needs image or images' },
  exclusive: [['image', 'images']],
};

const credentialProvider: Rule = {
  kind: 'object',
  description: 'Image pulls against the kubelet\'s credential-provider plugins and their cache.',
  properties: {
    kubeletVersion: {
      kind: 'string',
      enum: CREDENTIAL_KUBELET_VERSIONS,
      default: DEFAULT_CREDENTIAL_KUBELET_VERSION,
      hint: 'quote it: YAML reads an unquoted 1.30 as the number 1.3',
      description: 'Which kubelet\'s rules: "1.34" (1.34 and later: cacheType, echo check, "<global>" key) or "1.33".',
    },
    serviceAccountTokenGate: {
      kind: 'boolean',
      description: 'Feature gate KubeletServiceAccountTokenForCredentialProviders. Default: on from 1.34, off in 1.33.',
    },
    configFile: {
      kind: 'string',
      minLength: 1,
      description: 'Instead of config: the path of a CredentialProviderConfig file, or of a directory of them as newer kubelets read, relative to this scenario.',
    },
    config: { kind: 'document', schema: embeddedCredentialProviderConfigSchema(), description: 'The kubelet\'s CredentialProviderConfig, as in its --image-credential-provider-config file.' },
    plugins: { kind: 'map', values: plugin, description: 'Plugin behaviour by provider name. A provider not listed answers with the defaults.' },
    serviceAccounts: { kind: 'array', items: serviceAccount, description: 'Service accounts as the kubelet sees them (annotations, UID). A pod\'s account not listed has no annotations.' },
    pulls: { kind: 'array', items: pull, description: 'The image pulls.' },
  },
  required: ['pulls'],
  atLeastOneOf: { keys: ['config', 'configFile'], message: 'the kubelet\'s CredentialProviderConfig: write it under config, or name its file with configFile' },
  exclusive: [['config', 'configFile']],
};

// ------------------------------------------------------------------ checks

interface ConfigInput {
  config?: unknown;
  configFile?: string;
}

type ConfigRead = { ok: true; loaded: LoadedConfig; fromFile: boolean } | { ok: false; error: string };

/** The config the section names, decoded and validated as the kubelet does (SPEC B.1, B.2). */
function readConfig(cp: ConfigInput, version: CredentialKubeletVersion, gate: boolean | undefined, include: IncludeReader | undefined): ConfigRead {
  const options = { kubeletVersion: version, ...(gate === undefined ? {} : { serviceAccountTokenGate: gate }) };
  if (cp.configFile === undefined) {
    return { ok: true, fromFile: false, loaded: loadCredentialProviderConfig([{ path: CONFIG_FILE_NAME, text: JSON.stringify(cp.config) }], options) };
  }
  if (include === undefined) return { ok: false, error: 'configFile can only be read when the scenario is opened from a file; embed the config under config instead' };
  const read = include(cp.configFile, { noun: 'the credential provider config', directories: true });
  if (!read.ok) return { ok: false, error: read.error };
  return { ok: true, fromFile: true, loaded: loadCredentialProviderConfig(read.included.files, { ...options, directory: read.included.directory }) };
}

function check(file: Loose<CredentialProviderFile>, context: CheckContext): void {
  const cp = file.credentialProvider;
  if (cp === undefined) return;
  const root = 'credentialProvider';
  const version = cp.kubeletVersion ?? DEFAULT_CREDENTIAL_KUBELET_VERSION;
  let providers: string[] = [];
  if (cp.config !== undefined || cp.configFile !== undefined) {
    const read = readConfig(cp, version, cp.serviceAccountTokenGate, context.include);
    if (!read.ok) context.error(childPath(root, 'configFile'), read.error);
    else {
      for (const f of read.loaded.findings) {
        if (read.fromFile) reportInFile(context, childPath(root, 'configFile'), f);
        else report(context, childPath(root, 'config'), f);
      }
      providers = read.loaded.config?.providers.map((p) => p.name) ?? [];
    }
  }
  for (const [name, p] of Object.entries(cp.plugins ?? {})) {
    const path = childPath(childPath(root, 'plugins'), name);
    if (cp.config !== undefined && providers.length > 0 && !providers.includes(name)) {
      context.error(path, `no provider named "${name}" in the config (its providers: ${providers.map((n) => `"${n}"`).join(', ')})`, { atKey: true });
    }
    (p?.responses ?? []).forEach((r, i) => {
      if (r?.cacheDuration === undefined) return;
      const at = childPath(itemPath(childPath(path, 'responses'), i), 'cacheDuration');
      const d = parseGoDuration(r.cacheDuration);
      if (!d.ok) context.error(at, d.error);
      else if (d.ns < 0n) context.warn(at, 'a negative cacheDuration stores an entry that has already expired');
    });
  }
  checkServiceAccounts(cp.serviceAccounts, context);
  checkPulls(file, context);
}

/** A finding in a config file the scenario names: at the configFile line, saying where in that file. */
function reportInFile(context: CheckContext, at: string, f: ConfigFinding): void {
  const message = `${f.file}:${f.range.line}:${f.range.column}: ${f.message}`;
  if (f.severity === 'warning') context.warn(at, message);
  else context.error(at, message);
}

/** A config finding at its place inside the embedded document. */
function report(context: CheckContext, base: string, f: ConfigFinding): void {
  const path = f.path === '' ? base : childPath(base, f.path);
  if (f.severity === 'warning') context.warn(path, f.message);
  else context.error(path, f.message, { atKey: f.message.startsWith('strict decoding error: unknown field') });
}

function checkServiceAccounts(list: Loose<NonNullable<CredentialProviderFile['credentialProvider']>['serviceAccounts']>, context: CheckContext): void {
  const seen = new Map<string, string>();
  (list ?? []).forEach((sa, i) => {
    if (sa?.name === undefined) return;
    const key = `${sa.namespace ?? KUBELET_DEFAULTS.namespace}/${sa.name}`;
    const path = itemPath('credentialProvider.serviceAccounts', i);
    const first = seen.get(key);
    if (first !== undefined) context.error(childPath(path, 'name'), `duplicate service account ${key} (also ${first})`);
    else seen.set(key, path);
  });
}

function podNames(file: Loose<CredentialProviderFile>): Set<string> {
  const out = new Set<string>();
  for (const p of file.pods ?? []) {
    if (p?.name === undefined) continue;
    const ns = p.namespace ?? KUBELET_DEFAULTS.namespace;
    if ((p.replicas ?? 1) > 100_000) continue;
    for (const n of replicaNames(p.name, p.replicas)) out.add(`${ns}/${n}`);
  }
  return out;
}

function checkPulls(file: Loose<CredentialProviderFile>, context: CheckContext): void {
  const pods = podNames(file);
  const horizon = context.horizonMs;
  let total = 0;
  (file.credentialProvider?.pulls ?? []).forEach((p, i) => {
    if (p === undefined) return;
    const path = itemPath('credentialProvider.pulls', i);
    checkPositive(context, childPath(path, 'every'), p.every, 'every');
    checkBeforeHorizon(context, childPath(path, 'at'), p.at, 'the first pull');
    if (p.pod !== undefined) {
      const ref = parsePodRef(p.pod);
      if (ref === undefined) context.error(childPath(path, 'pod'), `expected namespace/name, got "${p.pod}"`);
      else if (!pods.has(`${ref.namespace}/${ref.name}`)) context.error(childPath(path, 'pod'), `no pod ${ref.namespace}/${ref.name} in pods`);
    }
    if (horizon !== undefined && horizon > 0) {
      const at = p.at ?? 0;
      const times = p.every === undefined || p.every <= 0 ? 1 : Math.floor(Math.max(0, horizon - at) / p.every) + 1;
      total += Math.min(times, p.count ?? times) * (p.images?.length ?? 1) * (p.burst ?? 1);
    }
  });
  if (total > MAX_PULLS) context.error('credentialProvider.pulls', `too many pulls in this run: ${total} (at most ${MAX_PULLS}); pull less often or shorten the horizon`);
}

/** "shop/web-0" → its parts; a bare name means the default namespace. */
export function parsePodRef(ref: string): { namespace: string; name: string } | undefined {
  const parts = ref.split('/');
  if (parts.length === 1 && parts[0] !== '') return { namespace: KUBELET_DEFAULTS.namespace, name: ref };
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0] as string, name: parts[1] as string };
}

// ------------------------------------------------------------------ normalize / serialize

function normalize(file: CredentialProviderFile, context?: NormalizeContext): CredentialProviderSlice {
  const cp = file.credentialProvider;
  if (cp === undefined) return {};
  const version = cp.kubeletVersion ?? DEFAULT_CREDENTIAL_KUBELET_VERSION;
  const gate = cp.serviceAccountTokenGate ?? defaultServiceAccountTokenGate(version);
  // The check read the same files and found no errors, so the config decoded.
  const read = readConfig(cp, version, gate, context?.include);
  const config = (read.ok ? read.loaded.config : undefined) as CredentialProviderConfig;
  const plugins: Record<string, PluginBehaviour> = {};
  for (const p of config.providers) plugins[p.name] = behaviour(cp.plugins?.[p.name], p.matchImages);
  return {
    credentialProvider: {
      kubeletVersion: version,
      serviceAccountTokenGate: gate,
      config,
      ...(cp.configFile === undefined ? {} : { configFile: cp.configFile }),
      plugins,
      serviceAccounts: (cp.serviceAccounts ?? []).map((sa) => ({
        namespace: sa.namespace ?? KUBELET_DEFAULTS.namespace,
        name: sa.name,
        ...(sa.uid === undefined ? {} : { uid: sa.uid }),
        annotations: { ...(sa.annotations ?? {}) },
      })),
      pulls: cp.pulls.map(pullSpec),
    },
  };
}

function behaviour(p: PluginFile | undefined, matchImages: readonly string[]): PluginBehaviour {
  const steps: PluginStep[] = (p?.responses ?? [{}]).map((r): PluginStep => {
    if (r.exitCode !== undefined) return { kind: 'failure', exitCode: r.exitCode, stderr: r.stderr ?? '' };
    const auth = r.auth === undefined
      ? matchImages.map((pattern) => ({ pattern, username: PLUGIN_DEFAULTS.username }))
      : Object.entries(r.auth).map(([pattern, a]) => ({ pattern, username: a.username ?? PLUGIN_DEFAULTS.username }));
    const step: PluginStep = { kind: 'response', cacheKeyType: r.cacheKeyType ?? PLUGIN_DEFAULTS.cacheKeyType, auth, echoToken: r.echoServiceAccountToken ?? false };
    if (r.cacheDuration !== undefined) {
      const d = parseGoDuration(r.cacheDuration);
      if (d.ok) step.cacheDuration = d.ns;
    }
    return step;
  });
  return { latencyMs: p?.latency ?? durationDefault(PLUGIN_DEFAULTS.latency), steps, errorRate: p?.errorRate ?? PLUGIN_DEFAULTS.errorRate };
}

function pullSpec(p: PullFile): PullSpec {
  const spec: PullSpec = { images: p.images ? [...p.images] : [p.image as string], atMs: p.at ?? 0, burst: p.burst ?? PLUGIN_DEFAULTS.burst };
  const pod = p.pod === undefined ? undefined : parsePodRef(p.pod);
  if (pod !== undefined) spec.pod = pod;
  if (p.every !== undefined) spec.everyMs = p.every;
  if (p.count !== undefined) spec.count = p.count;
  return spec;
}

function serialize(s: CredentialProviderSlice): JsonObject {
  const cp = s.credentialProvider;
  if (cp === undefined) return {};
  const plugins: JsonObject = {};
  for (const [name, b] of Object.entries(cp.plugins)) {
    plugins[name] = {
      latency: formatDuration(b.latencyMs),
      errorRate: b.errorRate,
      responses: b.steps.map((step): JsonObject => {
        if (step.kind === 'failure') return { exitCode: step.exitCode, stderr: step.stderr };
        const r: JsonObject = { cacheKeyType: step.cacheKeyType };
        if (step.cacheDuration !== undefined) r.cacheDuration = formatGoDuration(step.cacheDuration);
        const auth: JsonObject = {};
        for (const a of step.auth) auth[a.pattern] = { username: a.username };
        r.auth = auth;
        if (step.echoToken) r.echoServiceAccountToken = true;
        return r;
      }),
    };
  }
  return {
    credentialProvider: {
      kubeletVersion: cp.kubeletVersion,
      serviceAccountTokenGate: cp.serviceAccountTokenGate,
      ...(cp.configFile === undefined ? { config: credentialProviderConfigToJson(cp.config) } : { configFile: cp.configFile }),
      plugins,
      serviceAccounts: cp.serviceAccounts.map((sa) => {
        const out: JsonObject = { namespace: sa.namespace, name: sa.name, annotations: { ...sa.annotations } };
        if (sa.uid !== undefined) out.uid = sa.uid;
        return out;
      }),
      pulls: cp.pulls.map((p) => {
        const out: JsonObject = p.images.length === 1 ? { image: p.images[0] as string } : { images: [...p.images] };
        if (p.pod !== undefined) out.pod = `${p.pod.namespace}/${p.pod.name}`;
        out.at = formatDuration(p.atMs);
        if (p.everyMs !== undefined) out.every = formatDuration(p.everyMs);
        if (p.count !== undefined) out.count = p.count;
        out.burst = p.burst;
        return out;
      }),
    },
  };
}

export const credentialProviderSection: Section<CredentialProviderFile, CredentialProviderSlice> = {
  id: 'credentialProvider',
  settings: {},
  subjects: { credentialProvider },
  defaults: { kubeletVersion: DEFAULT_CREDENTIAL_KUBELET_VERSION, ...PLUGIN_DEFAULTS },
  check,
  normalize,
  serialize,
  whatIf: credentialProviderWhatIf,
};
