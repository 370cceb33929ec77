/**
 * A scenario built from one kubeconfig exec user (the "Simulate Exec Auth…" command): the user's exec
 * stanza as client-go reads it, the plugin's credential lifetime as a real run reported it (or a
 * typical 15 minutes), and the two ways people use a user: kubectl invocations, each a new process
 * with an empty credential cache (SPEC C.1), and one long-lived process such as an IDE or a
 * controller, which rides one credential until it expires (SPEC C.4). Argument and env values are
 * not copied (they may hold secrets): the simulation needs only their presence. Pure; the result is
 * scenario file text (YAML) with a comment header, for the user to edit, save and re-run.
 */
import { stringify } from 'yaml';
import type { JsonObject } from '../fieldRule';
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';

export const EXEC_AUTH_SCENARIO_DEFAULTS = {
  horizonMs: 8 * 3_600_000,
  /** What EKS, GKE and AKS plugins typically hand out when a real run has not said. */
  credentialLifetimeMs: 15 * 60_000,
  pluginLatencyMs: 1_000,
  kubectlEveryMs: 2 * 60_000,
  ideEveryMs: 30_000,
  seed: 1,
} as const;

export interface ExecAuthScenarioInput {
  user: string;
  exec: {
    apiVersion: string;
    command: string;
    argCount: number;
    envNames: readonly string[];
    interactiveMode?: string;
    installHint?: string;
    provideClusterInfo?: boolean;
  };
  server?: string;
  /**
   * From a real run: ms from the run to its expirationTimestamp, or null when the plugin gave none
   * (credentials that never expire by time). undefined: the typical lifetime.
   */
  credentialLifetimeMs?: number | null;
  /** How long the real run took, ms. */
  pluginLatencyMs?: number;
  start: number;
  horizonMs?: number;
  /** Where the user came from, for the header (a kubeconfig file name). */
  source?: string;
}

export interface ExecAuthScenario {
  text: string;
  name: string;
}

/** The builder's lifetime in whole seconds, at least one (client-go compares RFC 3339 seconds). */
function lifetimeText(ms: number): string {
  return formatDuration(Math.max(1000, Math.round(ms / 1000) * 1000));
}

export function execAuthScenario(input: ExecAuthScenarioInput): ExecAuthScenario {
  const d = EXEC_AUTH_SCENARIO_DEFAULTS;
  const name = `exec auth: ${input.user}`;
  const exec: JsonObject = { apiVersion: input.exec.apiVersion, command: input.exec.command };
  if (input.exec.argCount > 0) exec.args = Array.from({ length: input.exec.argCount }, (_, i) => `arg-${i + 1}`);
  if (input.exec.envNames.length > 0) exec.env = input.exec.envNames.map((n) => ({ name: n, value: 'not-copied' }));
  if (input.exec.interactiveMode !== undefined && input.exec.interactiveMode !== '') exec.interactiveMode = input.exec.interactiveMode;
  if (input.exec.installHint !== undefined) exec.installHint = input.exec.installHint;
  if (input.exec.provideClusterInfo === true) exec.provideClusterInfo = true;
  const plugin: JsonObject = { latency: formatDuration(Math.max(0, Math.round(input.pluginLatencyMs ?? d.pluginLatencyMs))) };
  const lifetime = input.credentialLifetimeMs === undefined ? d.credentialLifetimeMs : input.credentialLifetimeMs;
  if (lifetime !== null) plugin.credentialLifetime = lifetimeText(lifetime);
  const file: JsonObject = {
    name,
    seed: d.seed,
    start: formatDateTime(input.start),
    horizon: formatDuration(input.horizonMs ?? d.horizonMs),
    execAuth: {
      users: [
        {
          name: input.user,
          exec,
          cluster: { server: input.server ?? 'https://kubernetes.example:6443' },
          plugin,
          clients: [
            { name: 'kubectl', process: 'invocations', terminal: true, requests: { every: formatDuration(d.kubectlEveryMs), burst: 1 } },
            { name: 'ide', process: 'long-lived', terminal: false, requests: { every: formatDuration(d.ideEveryMs), burst: 3, concurrency: 3 } },
          ],
        },
      ],
    },
  };
  const lifeLine =
    lifetime === null
      ? '# The real run gave no expirationTimestamp: client-go keeps such credentials until a 401 or a new process.'
      : `# Each credential lives ${lifetimeText(lifetime)}${input.credentialLifetimeMs === undefined ? ' (a typical value: run the plugin once to use its real lifetime)' : ' (as the real run reported)'}.`;
  const header = [
    `# ${name}${input.source === undefined ? '' : ` (from ${input.source})`}`,
    '# kubectl: every invocation is a new process with an empty credential cache, so it runs the plugin',
    '# each time unless the plugin caches on disk; the IDE: one process that rides one credential until',
    '# the first request after it expires. Argument and env values are not copied (they may be secrets).',
    lifeLine,
    '# Edit and save this file to change the run; the timeline re-runs it.',
  ].join('\n');
  return { name, text: `${header}\n${stringify(file, { lineWidth: 0 })}` };
}
