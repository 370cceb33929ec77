/**
 * The exec-auth what-if knobs: how long the plugin's credentials live, how often a short-lived
 * client (a kubectl command) starts a new process, and whether the plugin caches its credential on
 * disk. They apply to every user of the scenario; a scenario without an execAuth section is left as
 * it is. Pure; never imports the format or the engine.
 */
import { durationDefault } from '../fieldRule';
import { formatDuration } from '../units/duration';
import { booleanValue, durationValue, optionalDurationValue, type WhatIfField, type WhatIfSection, type WhatIfValues } from '../whatIf';
import { EXEC_AUTH_DEFAULTS, type ExecAuthSpec, type ExecUserSpec } from './execAuthSpec';
import type { ExecAuthSlice } from './section';

const SECTION = 'Exec credential plugins';
const MAX_LIFETIME_MS = 30 * 86_400_000;
/** The invocation rate the form shows when no client starts processes. */
const DEFAULT_INVOCATION_EVERY = '2m';

export const EXEC_AUTH_WHAT_IF_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'optionalDuration',
    id: 'execCredentialLifetime',
    label: 'Exec credential lifetime',
    section: SECTION,
    placeholder: 'e.g. 15m',
    help: 'How long each credential the plugin returns is valid (its expirationTimestamp); empty: no expiry, kept until the server answers 401.',
    minMs: 1000,
    maxMs: MAX_LIFETIME_MS,
    unsetMeaning: 'no expirationTimestamp',
  },
  {
    kind: 'duration',
    id: 'execInvocationEvery',
    label: 'New kubectl process every',
    section: SECTION,
    placeholder: 'e.g. 2m',
    help: 'How often a short-lived client (each kubectl command is a new process with an empty credential cache) starts.',
    minMs: 1000,
    maxMs: 86_400_000,
  },
  {
    kind: 'boolean',
    id: 'execDiskCache',
    label: 'Plugin caches credentials on disk',
    section: SECTION,
    help: 'The plugin hands the same stored credential to every new process until it nears expiry, instead of getting a new one each run.',
  },
];

function users(ea: ExecAuthSpec | undefined): ExecUserSpec[] {
  return ea?.users ?? [];
}

function lifetime(ea: ExecAuthSpec | undefined): number | undefined {
  return users(ea)[0]?.plugin.credentialLifetimeMs;
}

function invocationEvery(ea: ExecAuthSpec | undefined): number {
  for (const u of users(ea)) for (const c of u.clients) if (c.process === 'invocations' && c.requests.everyMs !== undefined) return c.requests.everyMs;
  return durationDefault(DEFAULT_INVOCATION_EVERY);
}

function diskCache(ea: ExecAuthSpec | undefined): boolean {
  return users(ea).some((u) => u.plugin.diskCache !== undefined);
}

export const execAuthWhatIf: WhatIfSection<ExecAuthSlice> = {
  fields: EXEC_AUTH_WHAT_IF_FIELDS,
  read: ({ execAuth: ea }): WhatIfValues => {
    const life = lifetime(ea);
    return {
      execCredentialLifetime: life === undefined ? '' : formatDuration(life),
      execInvocationEvery: formatDuration(invocationEvery(ea)),
      execDiskCache: diskCache(ea),
    };
  },
  apply: (base, v): ExecAuthSlice => {
    const ea = base.execAuth;
    if (ea === undefined) return base;
    const life = optionalDurationValue(v, 'execCredentialLifetime');
    const every = durationValue(v, 'execInvocationEvery');
    const disk = booleanValue(v, 'execDiskCache');
    // A value left as the form showed it keeps each user's own setting.
    const sameLife = life === lifetime(ea);
    const sameEvery = every === invocationEvery(ea);
    const sameDisk = disk === diskCache(ea);
    if (sameLife && sameEvery && sameDisk) return base;
    const refresh = durationDefault(EXEC_AUTH_DEFAULTS.refreshWhenLessThan);
    return {
      execAuth: {
        users: ea.users.map((u): ExecUserSpec => {
          const plugin = { ...u.plugin };
          if (!sameLife) {
            if (life === undefined) delete plugin.credentialLifetimeMs;
            else plugin.credentialLifetimeMs = life;
          }
          if (!sameDisk) {
            if (!disk) delete plugin.diskCache;
            else plugin.diskCache = u.plugin.diskCache ?? { refreshWhenLessThanMs: refresh };
          }
          const clients = sameEvery ? u.clients : u.clients.map((c) => (c.process === 'invocations' ? { ...c, requests: { ...c.requests, everyMs: every } } : c));
          return { ...u, plugin, clients };
        }),
      },
    };
  },
};
