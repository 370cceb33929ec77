/**
 * The client-side refreshers' what-if knob: is Calico's CNI token refresher running or not.
 * Pure; never imports the scenario format or the engine.
 */
import { choiceValue, type WhatIfField, type WhatIfSection, type WhatIfValues } from '../whatIf';
import { REFRESHER_DEFAULTS, type RefresherSpec } from './refresherSpec';
import type { RefreshersSlice } from './section';

const SECTION = 'Token refreshers';

export const REFRESHER_POLICIES = ['none', 'calico'] as const;
export type RefresherPolicy = (typeof REFRESHER_POLICIES)[number];

export const REFRESHER_WHAT_IF_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'choice',
    id: 'refresher',
    label: 'Refresher policy',
    section: SECTION,
    help: 'Whether a client also requests its own tokens next to the kubelet.',
    choices: [
      { value: 'none', label: 'none', description: 'Only the kubelet refreshes' },
      { value: 'calico', label: 'calico', description: "Calico CNI's token refresher" },
    ],
  },
];

/** The refresher switched on when the scenario had none: the scenario format's defaults. */
const CALICO_DEFAULT: RefresherSpec = {
  kind: 'calico',
  name: 'calico-cni',
  namespace: REFRESHER_DEFAULTS.calicoNamespace,
  serviceAccount: REFRESHER_DEFAULTS.calicoServiceAccount,
  expirationSeconds: REFRESHER_DEFAULTS.calicoExpirationSeconds,
};

export const refresherWhatIf: WhatIfSection<RefreshersSlice> = {
  fields: REFRESHER_WHAT_IF_FIELDS,
  read: ({ refreshers }): WhatIfValues => ({ refresher: refreshers.some((r) => r.kind === 'calico') ? 'calico' : 'none' }),
  apply: (base, v): RefreshersSlice => {
    if (choiceValue(v, 'refresher') !== 'calico') return { ...base, refreshers: [] };
    return base.refreshers.some((r) => r.kind === 'calico') ? base : { ...base, refreshers: [{ ...CALICO_DEFAULT }] };
  },
};
