/**
 * The API server's what-if knobs: outages, --service-account-max-token-expiration and
 * --service-account-extend-token-expiration. Pure; never imports the scenario format or the engine.
 */
import { formatDuration } from '../units/duration';
import {
  booleanValue,
  optionalDurationValue,
  windowsValue,
  WHAT_IF_MAX_HORIZON_MS,
  type WhatIfCheck,
  type WhatIfField,
  type WhatIfSection,
  type WhatIfValues,
} from '../whatIf';
import { MAX_EXPIRATION_SECONDS, MIN_MAX_TOKEN_EXPIRATION_SECONDS } from './tokenRequest';
import type { ApiServerSlice } from './section';

const SECTION = 'API server';

/** At most this many outages in the form (a scenario file may hold more). */
export const MAX_WHAT_IF_OUTAGES = 50;

export const API_SERVER_WHAT_IF_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'optionalDuration',
    id: 'maxTokenExpiration',
    label: 'Max token expiration',
    section: SECTION,
    placeholder: 'empty = no cap',
    help: "The API server's --service-account-max-token-expiration. Empty: no cap. Otherwise 1h … 2^32 s.",
    minMs: MIN_MAX_TOKEN_EXPIRATION_SECONDS * 1000,
    maxMs: MAX_EXPIRATION_SECONDS * 1000,
    unsetMeaning: 'no cap',
    zeroIsUnset: true,
  },
  {
    kind: 'boolean',
    id: 'extendTokenExpiration',
    label: 'Extend token expiration (3607 s → 1 year)',
    section: SECTION,
    help: '--service-account-extend-token-expiration: kube-api-access tokens (3607 s) are signed valid for a year, while the kubelet still refreshes them about hourly.',
  },
  {
    kind: 'windows',
    id: 'outages',
    label: 'API-server outages (offsets from start)',
    section: SECTION,
    help: 'Times when every token request fails, measured from the start of the simulation (e.g. 2h → 2h30m).',
    maxCount: MAX_WHAT_IF_OUTAGES,
    maxMs: WHAT_IF_MAX_HORIZON_MS,
    itemLabel: 'Outage',
    itemPlural: 'outages',
    newWindow: { from: '1h', to: '1h30m' },
  },
];

/** An outage must start before the end of the run ("horizon" is the core field of the form). */
export const API_SERVER_WHAT_IF_CHECKS: readonly WhatIfCheck[] = [
  { kind: 'windowsStartBefore', windows: 'outages', limit: 'horizon', limitName: 'the horizon' },
];

export const apiServerWhatIf: WhatIfSection<ApiServerSlice> = {
  fields: API_SERVER_WHAT_IF_FIELDS,
  checks: API_SERVER_WHAT_IF_CHECKS,
  read: ({ apiServer: api }): WhatIfValues => ({
    maxTokenExpiration: api.maxTokenExpirationSeconds > 0 ? formatDuration(api.maxTokenExpirationSeconds * 1000) : '',
    extendTokenExpiration: api.extendTokenExpiration,
    outages: api.outages.map((o) => ({ from: formatDuration(o.from), to: formatDuration(o.to) })),
  }),
  apply: (base, v): ApiServerSlice => {
    const max = optionalDurationValue(v, 'maxTokenExpiration');
    const apiServer = {
      ...base.apiServer,
      outages: windowsValue(v, 'outages'),
      maxTokenExpirationSeconds: max === undefined ? 0 : Math.trunc(max / 1000),
      extendTokenExpiration: booleanValue(v, 'extendTokenExpiration'),
    };
    return { ...base, apiServer };
  },
};
