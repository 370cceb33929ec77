/**
 * The exec-auth scenario section: `execAuth`, a subject (a scenario may hold only kubeconfig users).
 * Each user is written inline as in a kubeconfig (its name and `exec` stanza) with the cluster it
 * talks to, how its plugin behaves, and the client processes that use it.
 */
import { durationDefault, type JsonObject, type ObjectRule, type Rule } from '../fieldRule';
import { checkBeforeHorizon, checkPositive, childPath, itemPath, type CheckContext, type IncludeReader, type Loose, type NormalizeContext, type Section } from '../section';
import { parseKubeconfig } from './kubeconfigDocument';
import { formatDuration } from '../units/duration';
import { CLIENT_GO_VERSIONS, INTERACTIVE_MODES, NEWEST_CLIENT_GO, invalidApiVersionError, isAcceptedApiVersion, type ClientGoVersion, type ExecConfig } from './execConfig';
import { EXEC_AUTH_DEFAULTS, EXEC_CLIENT_CREDENTIALS, EXEC_PLUGIN_RETURNS, EXEC_PROCESS_KINDS, type ExecAuthSpec, type ExecClientCredentials, type ExecPluginReturns, type ExecClientSpec, type ExecProcessKind, type ExecUserSpec } from './execAuthSpec';
import { missingInteractiveModeError } from './interactiveMode';
import { execAuthWhatIf } from './whatIf';

/** Upper bound on requests in one run (batches × burst over every client): a typo must not exhaust memory. */
export const MAX_EXEC_REQUESTS = 2_000_000;
const MAX_BURST = 10_000;

// The file slice as the validator hands it over (durations in ms).

export interface ExecFile {
  apiVersion: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  interactiveMode?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
}

export interface ExecClientFile {
  name: string;
  process?: ExecProcessKind;
  terminal?: boolean;
  stdinUnavailable?: boolean;
  credentials?: ExecClientCredentials;
  requests?: { at?: number; every?: number; count?: number; burst?: number; concurrency?: number; latency?: number };
}

export interface ExecUserFile {
  name: string;
  clientGoVersion?: ClientGoVersion;
  exec?: ExecFile;
  kubeconfig?: string;
  cluster: { server: string; serverClockAhead?: number; revocations?: number[] };
  plugin?: {
    credentialLifetime?: number;
    diskCache?: { refreshWhenLessThan?: number; latency?: number };
    latency?: number;
    errorRate?: number;
    exitCodes?: number[];
    installed?: boolean;
    returns?: ExecPluginReturns;
  };
  clients: ExecClientFile[];
}

export interface ExecAuthFile {
  execAuth?: { users: ExecUserFile[] };
}

export interface ExecAuthSlice {
  execAuth?: ExecAuthSpec;
}

const exec: ObjectRule = {
  kind: 'object',
  description: "The user's exec stanza, as in the kubeconfig's users[].user.exec.",
  properties: {
    apiVersion: {
      kind: 'string',
      description: 'client.authentication.k8s.io/v1 or v1beta1 (v1alpha1 only before client-go 1.24). The plugin answers in the same version.',
    },
    command: { kind: 'string', minLength: 1, description: 'The program client-go runs, e.g. aws, kubelogin, gke-gcloud-auth-plugin.' },
    args: { kind: 'array', items: { kind: 'string' }, description: 'Its arguments. May hold secrets: never shown in the timeline.' },
    env: {
      kind: 'array',
      items: {
        kind: 'object',
        properties: { name: { kind: 'string', minLength: 1, description: 'Variable name.' }, value: { kind: 'string', description: 'Its value (may be a secret).' } },
        required: ['name', 'value'],
      },
      description: 'Extra environment variables for the plugin.',
    },
    interactiveMode: {
      kind: 'string',
      description: 'Never, IfAvailable or Always. Empty: IfAvailable for v1beta1; v1 requires it (without it every plugin run fails).',
    },
    installHint: { kind: 'string', description: 'Shown (rate-limited) when the command is not found.' },
    provideClusterInfo: { kind: 'boolean', description: 'Send the cluster (server URL) to the plugin in KUBERNETES_EXEC_INFO.' },
  },
  required: ['apiVersion', 'command'],
};

const cluster: ObjectRule = {
  kind: 'object',
  description: 'The cluster the user talks to, and how its API server judges the credentials.',
  properties: {
    server: { kind: 'string', minLength: 1, description: "The kubeconfig cluster's server URL, e.g. https://ABCD.gr7.us-east-1.eks.amazonaws.com." },
    serverClockAhead: {
      kind: 'duration',
      default: EXEC_AUTH_DEFAULTS.serverClockAhead,
      description: "How far the API server's clock runs ahead of the client's: it rejects credentials this long before the client thinks they expire.",
    },
    revocations: {
      kind: 'array',
      items: { kind: 'duration' },
      description: 'Moments (from start) when the server stops accepting every credential issued before (a key rotation, a revoked session): requests still in flight fail too.',
    },
  },
  required: ['server'],
};

const plugin: ObjectRule = {
  kind: 'object',
  description: 'How the plugin behaves when client-go runs it.',
  properties: {
    credentialLifetime: {
      kind: 'duration',
      description: "expirationTimestamp = the run's end + this (e.g. 15m for aws eks get-token). Absent: no expirationTimestamp, so client-go keeps the credential until a 401.",
    },
    diskCache: {
      kind: 'object',
      description: 'The plugin caches its credential on disk and hands the same one (same expiry) to every run, including fresh processes. Absent: a new credential every run.',
      properties: {
        refreshWhenLessThan: {
          kind: 'duration',
          default: EXEC_AUTH_DEFAULTS.refreshWhenLessThan,
          description: 'The plugin gets a new credential when less than this remains of the stored one.',
        },
        latency: { kind: 'duration', description: 'How long a run answered from the disk cache takes (it only reads a file). Default: the plugin\'s latency.' },
      },
    },
    latency: { kind: 'duration', default: EXEC_AUTH_DEFAULTS.pluginLatency, description: 'How long one run takes. Requests of the same process wait for it.' },
    errorRate: { kind: 'number', minimum: 0, maximum: 1, default: EXEC_AUTH_DEFAULTS.errorRate, description: 'Chance that a run fails with exit code 1.' },
    exitCodes: {
      kind: 'array',
      items: { kind: 'integer', minimum: 0, maximum: 255, default: EXEC_AUTH_DEFAULTS.exitCode },
      minItems: 1,
      description: 'Exit codes the runs take in turn, starting again after the last; 0 answers with a credential. Default: [0].',
    },
    installed: {
      kind: 'boolean',
      default: EXEC_AUTH_DEFAULTS.installed,
      description: 'false: the command is not on PATH, so every run fails with "not found" and the install hint.',
    },
    returns: {
      kind: 'string',
      enum: EXEC_PLUGIN_RETURNS,
      default: EXEC_AUTH_DEFAULTS.returns,
      description:
        'token: the plugin prints a bearer token. certificate: it prints a client certificate and key; when a run brings a different certificate, client-go closes every connection of the process, so requests waiting for their answer fail.',
    },
  },
};

const client: ObjectRule = {
  kind: 'object',
  properties: {
    name: { kind: 'string', minLength: 1, description: 'e.g. kubectl, vscode, my-controller.' },
    process: {
      kind: 'string',
      enum: EXEC_PROCESS_KINDS,
      default: EXEC_AUTH_DEFAULTS.process,
      description: 'long-lived: one process for the whole run (an IDE, a controller) with one credential cache. invocations: each batch of requests is a new process (each kubectl command) that starts with an empty cache.',
    },
    terminal: { kind: 'boolean', default: EXEC_AUTH_DEFAULTS.terminal, description: "The process's stdin is a terminal (a person's shell), so the plugin may prompt." },
    stdinUnavailable: {
      kind: 'boolean',
      default: EXEC_AUTH_DEFAULTS.stdinUnavailable,
      description: 'The process reads its own stdin (kubectl apply -f -), so the plugin cannot.',
    },
    credentials: {
      kind: 'string',
      enum: EXEC_CLIENT_CREDENTIALS,
      default: EXEC_AUTH_DEFAULTS.credentials,
      description:
        'exec: the plugin supplies the credentials. static: the client already has its own (a token next to exec in the kubeconfig user, or requests that set their own Authorization header), so client-go never runs the plugin for it.',
    },
    requests: {
      kind: 'object',
      description: 'The requests the client sends.',
      properties: {
        at: { kind: 'duration', default: EXEC_AUTH_DEFAULTS.at, description: 'First batch, from start.' },
        every: { kind: 'duration', description: 'A batch this often until the horizon (or count). For invocations: how often a new process starts.' },
        count: { kind: 'integer', minimum: 1, description: 'At most this many batches.' },
        burst: { kind: 'integer', minimum: 1, maximum: MAX_BURST, default: EXEC_AUTH_DEFAULTS.burst, description: 'Requests in each batch (a kubectl command makes a few).' },
        concurrency: {
          kind: 'integer',
          minimum: 1,
          maximum: MAX_BURST,
          default: EXEC_AUTH_DEFAULTS.concurrency,
          description: 'At most this many requests in flight at once; the rest wait for a free slot.',
        },
        latency: { kind: 'duration', default: EXEC_AUTH_DEFAULTS.requestLatency, description: 'From sending a request to its answer.' },
      },
    },
  },
  required: ['name'],
};

const user: ObjectRule = {
  kind: 'object',
  properties: {
    name: { kind: 'string', minLength: 1, description: "The kubeconfig user's name." },
    clientGoVersion: {
      kind: 'string',
      enum: CLIENT_GO_VERSIONS,
      default: EXEC_AUTH_DEFAULTS.clientGoVersion,
      hint: 'quote it: YAML reads an unquoted 1.20 as the number 1.2',
      description: 'Which client-go the clients are built with: "1.24" (and later), "1.22", "1.21" or "1.20".',
    },
    exec,
    kubeconfig: {
      kind: 'string',
      minLength: 1,
      description: "Instead of exec: the kubeconfig file (relative to this scenario) whose user of this name holds the exec stanza. Argument and env values are not read (they may be secrets).",
    },
    cluster,
    plugin,
    clients: { kind: 'array', items: client, minItems: 1, description: 'The processes that use this user.' },
  },
  required: ['name', 'cluster', 'clients'],
  atLeastOneOf: { keys: ['exec', 'kubeconfig'], message: "the user's exec stanza: write it under exec, or name the kubeconfig that holds it" },
  exclusive: [['exec', 'kubeconfig']],
};

const execAuth: Rule = {
  kind: 'object',
  description: "Kubeconfig users authenticating with an exec credential plugin, as client-go's exec authenticator handles them.",
  properties: { users: { kind: 'array', items: user, minItems: 1, description: 'The users, each with its clients.' } },
  required: ['users'],
};

// ------------------------------------------------------------------ checks

function check(file: Loose<ExecAuthFile>, context: CheckContext): void {
  const users = file.execAuth?.users;
  if (users === undefined) return;
  const seen = new Map<string, string>();
  let total = 0;
  users.forEach((u, i) => {
    if (u === undefined) return;
    const path = itemPath('execAuth.users', i);
    if (u.name !== undefined) {
      const first = seen.get(u.name);
      if (first !== undefined) context.error(childPath(path, 'name'), `duplicate user "${u.name}" (also ${first})`);
      else seen.set(u.name, path);
    }
    if (u.kubeconfig !== undefined && u.name !== undefined) {
      const found = execFromKubeconfig(u.kubeconfig, u.name, context.include);
      if (!found.ok) context.error(childPath(path, 'kubeconfig'), found.error);
      else checkExec({ ...u, exec: found.exec }, path, context);
    } else checkExec(u, path, context);
    (u.cluster?.revocations ?? []).forEach((r, j) => checkBeforeHorizon(context, itemPath(childPath(path, 'cluster.revocations'), j), r, 'the revocation'));
    total += checkClients(u.clients ?? [], path, context);
  });
  if (total > MAX_EXEC_REQUESTS) context.error('execAuth.users', `too many requests in this run: ${total} (at most ${MAX_EXEC_REQUESTS}); send less often or shorten the horizon`);
}

function checkExec(u: Loose<ExecUserFile>, path: string, context: CheckContext): void {
  const e = u.exec;
  if (e === undefined) return;
  const at = childPath(path, 'exec');
  const version = u.clientGoVersion ?? NEWEST_CLIENT_GO;
  // SPEC C.1: a release rejects an apiVersion it does not know when the client is built.
  if (e.apiVersion !== undefined && !isAcceptedApiVersion(e.apiVersion, version)) {
    context.warn(childPath(at, 'apiVersion'), `client-go ${version} refuses this user (${invalidApiVersionError(e.apiVersion)}): every request fails`);
  }
  const mode = e.interactiveMode;
  if (mode !== undefined && mode !== '' && !(INTERACTIVE_MODES as readonly string[]).includes(mode)) {
    context.warn(childPath(at, 'interactiveMode'), `unknown interactiveMode "${mode}" (Never, IfAvailable or Always): every plugin run fails`);
  }
  // SPEC C.6: v1 gets no default mode.
  if (e.apiVersion !== undefined && e.command !== undefined && !context.written(childPath(at, 'interactiveMode'))) {
    const missing = missingInteractiveModeError({ apiVersion: e.apiVersion, command: e.command }, u.name ?? 'this user');
    if (missing !== undefined) context.warn(at, `${missing}: every plugin run fails`);
  }
}

function checkClients(clients: Loose<ExecClientFile[]>, path: string, context: CheckContext): number {
  const names = new Map<string, string>();
  const horizon = context.horizonMs;
  let total = 0;
  clients.forEach((c, j) => {
    if (c === undefined) return;
    const at = itemPath(childPath(path, 'clients'), j);
    if (c.name !== undefined) {
      const first = names.get(c.name);
      if (first !== undefined) context.error(childPath(at, 'name'), `duplicate client "${c.name}" (also ${first})`);
      else names.set(c.name, at);
    }
    const r = c.requests ?? {};
    checkPositive(context, childPath(at, 'requests.every'), r.every, 'every');
    checkBeforeHorizon(context, childPath(at, 'requests.at'), r.at, 'the first batch');
    if (horizon !== undefined && horizon > 0) {
      const first = r.at ?? 0;
      const times = r.every === undefined || r.every <= 0 ? 1 : Math.floor(Math.max(0, horizon - first) / r.every) + 1;
      total += Math.min(times, r.count ?? times) * (r.burst ?? EXEC_AUTH_DEFAULTS.burst);
    }
  });
  return total;
}

// ------------------------------------------------------------------ normalize / serialize

/**
 * The exec stanza of user `name` in a kubeconfig the scenario names (SPEC C.1: the stanza as written,
 * before loading defaults). The reader keeps no argument or env value, so they become placeholders:
 * the simulation needs only that they are there.
 */
function execFromKubeconfig(file: string, name: string, include: IncludeReader | undefined): { ok: true; exec: ExecFile } | { ok: false; error: string } {
  if (include === undefined) return { ok: false, error: 'kubeconfig can only be read when the scenario is opened from a file; write the exec stanza under exec instead' };
  const read = include(file, { noun: 'the kubeconfig', directories: false });
  if (!read.ok) return read;
  const source = read.included.files[0];
  if (source === undefined) return { ok: false, error: `the kubeconfig ${file} is empty` };
  const doc = parseKubeconfig(source.text, source.path);
  if (!doc.parsed) return { ok: false, error: `${source.path}: ${doc.problems[0]?.message ?? 'not a kubeconfig'}` };
  const user = doc.users.find((u) => u.name === name);
  if (user === undefined) {
    const names = doc.users.map((u) => `"${u.name}"`).join(', ');
    return { ok: false, error: `no user "${name}" in ${source.path}${names === '' ? ' (it has no users)' : ` (its users: ${names})`}` };
  }
  const e = user.exec;
  if (e === undefined) return { ok: false, error: `user "${name}" in ${source.path} has no exec stanza: client-go never runs a plugin for it` };
  if (e.command?.value === undefined || e.apiVersion?.value === undefined) {
    return { ok: false, error: `user "${name}" in ${source.path}: the exec stanza needs command and apiVersion` };
  }
  const exec: ExecFile = { apiVersion: e.apiVersion.value, command: e.command.value };
  if (e.argCount > 0) exec.args = Array.from({ length: e.argCount }, (_, i) => `arg-${i + 1}`);
  const env = e.env.flatMap((v) => (v.name === undefined ? [] : [{ name: v.name.value, value: 'not-read' }]));
  if (env.length > 0) exec.env = env;
  if (e.interactiveMode !== undefined) exec.interactiveMode = e.interactiveMode.value;
  if (e.installHint !== undefined) exec.installHint = e.installHint.value;
  if (e.provideClusterInfo !== undefined) exec.provideClusterInfo = e.provideClusterInfo.value;
  return { ok: true, exec };
}

function normalize(file: ExecAuthFile, context?: NormalizeContext): ExecAuthSlice {
  const ea = file.execAuth;
  if (ea === undefined) return {};
  return {
    execAuth: {
      users: ea.users.map((u) => {
        if (u.kubeconfig === undefined) return userSpec(u);
        // The check read the same file and found the user's stanza.
        const found = execFromKubeconfig(u.kubeconfig, u.name, context?.include);
        return { ...userSpec({ ...u, exec: found.ok ? found.exec : { apiVersion: '', command: '' } }), kubeconfig: u.kubeconfig };
      }),
    },
  };
}

function userSpec(u: ExecUserFile): ExecUserSpec {
  const p = u.plugin ?? {};
  const plugin: ExecUserSpec['plugin'] = {
    latencyMs: p.latency ?? durationDefault(EXEC_AUTH_DEFAULTS.pluginLatency),
    errorRate: p.errorRate ?? EXEC_AUTH_DEFAULTS.errorRate,
    exitCodes: p.exitCodes ? [...p.exitCodes] : [EXEC_AUTH_DEFAULTS.exitCode],
    installed: p.installed ?? EXEC_AUTH_DEFAULTS.installed,
  };
  if (p.credentialLifetime !== undefined) plugin.credentialLifetimeMs = p.credentialLifetime;
  // The defaults stay absent, so scenarios that do not use these options keep their normalized form.
  if (p.returns === 'certificate') plugin.returns = 'certificate';
  if (p.diskCache !== undefined) {
    plugin.diskCache = { refreshWhenLessThanMs: p.diskCache.refreshWhenLessThan ?? durationDefault(EXEC_AUTH_DEFAULTS.refreshWhenLessThan) };
    if (p.diskCache.latency !== undefined) plugin.diskCache.hitLatencyMs = p.diskCache.latency;
  }
  return {
    name: u.name,
    exec: execConfig(u.exec as ExecFile),
    clientGoVersion: u.clientGoVersion ?? EXEC_AUTH_DEFAULTS.clientGoVersion,
    cluster: {
      server: u.cluster.server,
      serverClockAheadMs: u.cluster.serverClockAhead ?? durationDefault(EXEC_AUTH_DEFAULTS.serverClockAhead),
      revocationsMs: [...(u.cluster.revocations ?? [])],
    },
    plugin,
    clients: u.clients.map(clientSpec),
  };
}

/** Absent lists stay absent: client-go tells them from empty ones (SPEC C.1). */
function execConfig(e: ExecFile): ExecConfig {
  return {
    apiVersion: e.apiVersion,
    command: e.command,
    ...(e.args === undefined ? {} : { args: [...e.args] }),
    ...(e.env === undefined ? {} : { env: e.env.map((v) => ({ name: v.name, value: v.value })) }),
    ...(e.interactiveMode === undefined ? {} : { interactiveMode: e.interactiveMode }),
    ...(e.installHint === undefined ? {} : { installHint: e.installHint }),
    ...(e.provideClusterInfo === undefined ? {} : { provideClusterInfo: e.provideClusterInfo }),
  };
}

function clientSpec(c: ExecClientFile): ExecClientSpec {
  const r = c.requests ?? {};
  const requests: ExecClientSpec['requests'] = {
    atMs: r.at ?? 0,
    burst: r.burst ?? EXEC_AUTH_DEFAULTS.burst,
    concurrency: r.concurrency ?? EXEC_AUTH_DEFAULTS.concurrency,
    latencyMs: r.latency ?? durationDefault(EXEC_AUTH_DEFAULTS.requestLatency),
  };
  if (r.every !== undefined) requests.everyMs = r.every;
  if (r.count !== undefined) requests.count = r.count;
  return {
    name: c.name,
    process: c.process ?? EXEC_AUTH_DEFAULTS.process,
    terminal: c.terminal ?? EXEC_AUTH_DEFAULTS.terminal,
    stdinUnavailable: c.stdinUnavailable ?? EXEC_AUTH_DEFAULTS.stdinUnavailable,
    ...(c.credentials === 'static' ? { credentials: 'static' as const } : {}),
    requests,
  };
}

function serialize(s: ExecAuthSlice): JsonObject {
  const ea = s.execAuth;
  if (ea === undefined) return {};
  return { execAuth: { users: ea.users.map(serializeUser) } };
}

function serializeUser(u: ExecUserSpec): JsonObject {
  const e = u.exec;
  const exec: JsonObject = { apiVersion: e.apiVersion, command: e.command };
  const stanza: JsonObject = u.kubeconfig === undefined ? { exec } : { kubeconfig: u.kubeconfig };
  if (e.args !== undefined) exec.args = [...e.args];
  if (e.env !== undefined) exec.env = e.env.map((v) => ({ name: v.name, value: v.value }));
  if (e.interactiveMode !== undefined) exec.interactiveMode = e.interactiveMode;
  if (e.installHint !== undefined) exec.installHint = e.installHint;
  if (e.provideClusterInfo !== undefined) exec.provideClusterInfo = e.provideClusterInfo;
  const p = u.plugin;
  const plugin: JsonObject = {};
  if (p.credentialLifetimeMs !== undefined) plugin.credentialLifetime = formatDuration(p.credentialLifetimeMs);
  if (p.diskCache !== undefined) {
    const disk: JsonObject = { refreshWhenLessThan: formatDuration(p.diskCache.refreshWhenLessThanMs) };
    if (p.diskCache.hitLatencyMs !== undefined) disk.latency = formatDuration(p.diskCache.hitLatencyMs);
    plugin.diskCache = disk;
  }
  plugin.latency = formatDuration(p.latencyMs);
  plugin.errorRate = p.errorRate;
  plugin.exitCodes = [...p.exitCodes];
  plugin.installed = p.installed;
  if (p.returns !== undefined) plugin.returns = p.returns;
  return {
    name: u.name,
    clientGoVersion: u.clientGoVersion,
    ...stanza,
    cluster: {
      server: u.cluster.server,
      serverClockAhead: formatDuration(u.cluster.serverClockAheadMs),
      revocations: u.cluster.revocationsMs.map(formatDuration),
    },
    plugin,
    clients: u.clients.map((c) => {
      const r = c.requests;
      const requests: JsonObject = { at: formatDuration(r.atMs) };
      if (r.everyMs !== undefined) requests.every = formatDuration(r.everyMs);
      if (r.count !== undefined) requests.count = r.count;
      requests.burst = r.burst;
      requests.concurrency = r.concurrency;
      requests.latency = formatDuration(r.latencyMs);
      const credentials: JsonObject = c.credentials === undefined ? {} : { credentials: c.credentials };
      return { name: c.name, process: c.process, terminal: c.terminal, stdinUnavailable: c.stdinUnavailable, ...credentials, requests };
    }),
  };
}

export const execAuthSection: Section<ExecAuthFile, ExecAuthSlice> = {
  id: 'execAuth',
  settings: {},
  subjects: { execAuth },
  defaults: EXEC_AUTH_DEFAULTS,
  check,
  normalize,
  serialize,
  whatIf: execAuthWhatIf,
};
