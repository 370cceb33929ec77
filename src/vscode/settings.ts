/**
 * The extension's settings: one table of every `kubeTokenLens.*` key with its type, default and
 * bounds, equal to package.json's contributes.configuration (test/unit/vscode/settings.test.ts
 * compares them), and the pure rule that turns a raw value into a typed one. Pure: no vscode, so
 * the table is testable without VS Code; configuration.ts reads the values through VS Code.
 */
import { parseDuration } from '../sim/units/duration';
import { DEFAULT_BLAST_RADIUS_RUNS, MAX_BLAST_RADIUS_RUNS } from '../sim/blastRadius/blastRadiusInput';
import { CREDENTIAL_KUBELET_VERSIONS, DEFAULT_CREDENTIAL_KUBELET_VERSION, defaultServiceAccountTokenGate, type CredentialKubeletVersion } from '../sim/credentialProvider/config';

/** The section every key lives in. */
export const SETTINGS_SECTION = 'kubeTokenLens';

interface StringSetting {
  type: 'string';
  default: string;
  /** Another check than the type (package.json's `pattern` or meaning); false → the default is used. */
  valid?: (value: string) => boolean;
}

interface IntegerSetting {
  type: 'integer';
  default: number;
  minimum?: number;
  maximum?: number;
}

type Setting = StringSetting | IntegerSetting;

/** credentialProvider.serviceAccountTokenGate: the version's default (SPEC B.2), or forced. */
export const SERVICE_ACCOUNT_TOKEN_GATE_SETTINGS = ['default', 'on', 'off'] as const;

/** Keys relative to SETTINGS_SECTION, e.g. "simulation.defaultHorizon". */
export const SETTINGS = {
  kubeconfigPath: { type: 'string', default: '' },
  'simulation.defaultHorizon': {
    type: 'string',
    default: '6h',
    valid: (v) => {
      const d = parseDuration(v);
      return d.ok && d.ms > 0;
    },
  },
  'simulation.defaultSeed': { type: 'integer', default: 1, minimum: 0 },
  'demoCluster.extraPods': { type: 'integer', default: 0, minimum: 0, maximum: 20000 },
  'cluster.pageSize': { type: 'integer', default: 200, minimum: 10, maximum: 5000 },
  'blastRadius.runs': { type: 'integer', default: DEFAULT_BLAST_RADIUS_RUNS, minimum: 1, maximum: MAX_BLAST_RADIUS_RUNS },
  'credentialProvider.kubeletVersion': {
    type: 'string',
    default: DEFAULT_CREDENTIAL_KUBELET_VERSION,
    valid: (v) => (CREDENTIAL_KUBELET_VERSIONS as readonly string[]).includes(v),
  },
  'credentialProvider.serviceAccountTokenGate': {
    type: 'string',
    default: 'default',
    valid: (v) => (SERVICE_ACCOUNT_TOKEN_GATE_SETTINGS as readonly string[]).includes(v),
  },
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

/** The typed value of a setting: a string or a number, by the table. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['type'] extends 'string' ? string : number;

/** The full key as users write it in settings.json, e.g. "kubeTokenLens.cluster.pageSize". */
export function settingId(key: SettingKey): string {
  return `${SETTINGS_SECTION}.${key}`;
}

/**
 * The value to use for a raw setting value: the value itself when it has the declared type and is
 * within bounds, else the default. Settings.json is hand-edited; a wrong value must not break a view.
 */
export function settingValue<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const setting: Setting = SETTINGS[key];
  if (setting.type === 'string') {
    const ok = typeof raw === 'string' && (setting.valid?.(raw) ?? true);
    return (ok ? raw : setting.default) as SettingValue<K>;
  }
  const ok =
    typeof raw === 'number' &&
    Number.isInteger(raw) &&
    (setting.minimum === undefined || raw >= setting.minimum) &&
    (setting.maximum === undefined || raw <= setting.maximum);
  return (ok ? raw : setting.default) as SettingValue<K>;
}

/** What a new simulation uses unless the user says otherwise (from the simulation.* settings). */
export interface SimulationDefaults {
  horizonMs: number;
  seed: number;
}

/** The kubelet whose rules judge CredentialProviderConfig documents (the credentialProvider.* settings). */
export interface CredentialProviderRules {
  kubeletVersion: CredentialKubeletVersion;
  serviceAccountTokenGate: boolean;
}

/** The two credentialProvider.* values (already checked by settingValue) → the rules in use. */
export function credentialProviderRules(version: string, gate: string): CredentialProviderRules {
  const kubeletVersion = (CREDENTIAL_KUBELET_VERSIONS as readonly string[]).includes(version) ? (version as CredentialKubeletVersion) : DEFAULT_CREDENTIAL_KUBELET_VERSION;
  return { kubeletVersion, serviceAccountTokenGate: gate === 'on' ? true : gate === 'off' ? false : defaultServiceAccountTokenGate(kubeletVersion) };
}
