/**
 * Reads and writes the `kubeTokenLens.*` settings through VS Code: the only place that calls
 * workspace.getConfiguration for them. Keys, types and defaults come from settings.ts.
 */
import * as vscode from 'vscode';
import { parseDuration } from '../sim/units/duration';
import { SETTINGS, SETTINGS_SECTION, credentialProviderRules, settingId, settingValue, type CredentialProviderRules, type SettingKey, type SettingValue, type SimulationDefaults } from './settings';

/** The typed value of a setting (the default when it is unset or malformed). */
export function getSetting<K extends SettingKey>(key: K): SettingValue<K> {
  return settingValue(key, vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(key));
}

/** Writes a user-level setting (the Select Kubeconfig command). */
export async function updateSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * Writes a setting where the user has it: the workspace's value when the workspace sets it (a user
 * value would be shadowed by it), else the user's.
 */
export async function updateSettingWhereSet<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect(key);
  const target = inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/** Calls `listener` whenever one of `keys` changes. */
export function onSettingsChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(settingId(k)))) listener();
  });
}

export function simulationDefaults(): SimulationDefaults {
  const horizon = parseDuration(getSetting('simulation.defaultHorizon'));
  // settingValue only lets valid durations through; the default is one too.
  const fallback = parseDuration(SETTINGS['simulation.defaultHorizon'].default);
  const horizonMs = horizon.ok ? horizon.ms : fallback.ok ? fallback.ms : 0;
  return { horizonMs, seed: getSetting('simulation.defaultSeed') };
}

export function credentialProviderSettings(): CredentialProviderRules {
  return credentialProviderRules(getSetting('credentialProvider.kubeletVersion'), getSetting('credentialProvider.serviceAccountTokenGate'));
}
