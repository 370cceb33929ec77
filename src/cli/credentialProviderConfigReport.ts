/**
 * What check-config and match-image share: the --kubelet-version / --feature-gate flags, reading a
 * CredentialProviderConfig file or directory (SPEC B.1) and validating it (B.2), and printing the
 * findings as a compiler would (`file:line:col: error: message`) or as JSON.
 */
import { readConfigSources as readConfigSourcesFromDisk, type ConfigSourcesRead } from '../plugins/credentialProviderConfigFiles';
import { loadCredentialProviderConfig, type ConfigFinding, type LoadedConfig } from '../sim/credentialProvider/configDecode';
import {
  CREDENTIAL_KUBELET_VERSIONS,
  DEFAULT_CREDENTIAL_KUBELET_VERSION,
  defaultServiceAccountTokenGate,
  type CredentialKubeletVersion,
} from '../sim/credentialProvider/config';
import { CONFIG_FILE_EXTENSIONS } from '../sim/credentialProvider/configFiles';
import { stringFlag, UsageError, type ParsedArgs } from './args';
import type { CliIO } from './io';

/** What the credential-provider commands need beyond the shared CliIO. */
export interface CredentialProviderConfigIO extends CliIO {
  /** Reads a config file or directory; default: the real file system (src/plugins). */
  readConfigSources?(path: string): Promise<ConfigSourcesRead>;
}

/** The flags both commands take, as parseArgs specs. */
export const KUBELET_FLAGS = { 'kubelet-version': 'string', 'feature-gate': 'string' } as const;

export interface KubeletChoice {
  kubeletVersion: CredentialKubeletVersion;
  /** KubeletServiceAccountTokenForCredentialProviders. */
  serviceAccountTokenGate: boolean;
}

/** --kubelet-version 1.33|1.34 (default 1.34) and --feature-gate on|off (default: the version's, SPEC B.2). */
export function kubeletChoice(args: ParsedArgs): KubeletChoice {
  const version = stringFlag(args, 'kubelet-version') ?? DEFAULT_CREDENTIAL_KUBELET_VERSION;
  if (!(CREDENTIAL_KUBELET_VERSIONS as readonly string[]).includes(version)) {
    throw new UsageError(`--kubelet-version must be one of ${CREDENTIAL_KUBELET_VERSIONS.join(', ')} (1.34 stands for 1.34 and later), not "${version}"`);
  }
  const kubeletVersion = version as CredentialKubeletVersion;
  const gate = stringFlag(args, 'feature-gate');
  if (gate !== undefined && gate !== 'on' && gate !== 'off') throw new UsageError(`--feature-gate must be on or off, not "${gate}"`);
  return { kubeletVersion, serviceAccountTokenGate: gate === undefined ? defaultServiceAccountTokenGate(kubeletVersion) : gate === 'on' };
}

export type ConfigRead =
  | { ok: true; loaded: LoadedConfig; directory: boolean; files: string[] }
  /** The path could not be read at all (missing, permissions, too large): a message for the user. */
  | { ok: false; error: string };

/** Reads `path` as the kubelet's --image-credential-provider-config and validates it. */
export async function readAndLoadConfig(path: string, choice: KubeletChoice, io: CredentialProviderConfigIO): Promise<ConfigRead> {
  const read = await (io.readConfigSources ?? readConfigSourcesFromDisk)(path);
  if (!read.ok) return read;
  const loaded = loadCredentialProviderConfig(read.sources, { ...choice, directory: read.directory });
  return { ok: true, loaded, directory: read.directory, files: read.sources.map((s) => s.path) };
}

/**
 * One finding as a compiler line. A finding about no file in particular (an empty directory) names
 * the path the user gave instead, without a position.
 */
export function formatFinding(f: ConfigFinding, configPath: string): string {
  const where = f.file === '' ? configPath : `${f.file}:${f.range.line}:${f.range.column}`;
  const path = f.path === '' ? '' : ` (${f.path})`;
  return `${where}: ${f.severity}: ${f.message}${path}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "valid: 2 providers" (", 1 warning"), or "3 errors, 1 warning". */
export function summaryLine(loaded: LoadedConfig): string {
  const errors = loaded.findings.filter((f) => f.severity === 'error').length;
  const warnings = loaded.findings.length - errors;
  const warned = warnings > 0 ? `, ${count(warnings, 'warning')}` : '';
  if (loaded.valid) return `valid: ${count(loaded.config?.providers.length ?? 0, 'provider')}${warned}`;
  return `${count(errors, 'error')}${warned}`;
}

/** The findings and the summary, one line each, newline-terminated; an empty directory also says what the kubelet looks for. */
export function findingsText(read: ConfigRead & { ok: true }, configPath: string): string {
  const lines = read.loaded.findings.map((f) => formatFinding(f, configPath));
  if (read.directory && read.files.length === 0) {
    lines.push(`${configPath}: note: the kubelet reads the regular files ending ${CONFIG_FILE_EXTENSIONS.join(', ')} in this directory (case-sensitive) and found none`);
  }
  lines.push(summaryLine(read.loaded));
  return lines.map((l) => `${l}\n`).join('');
}

/** One finding in the JSON output; these names are a stable interface for scripts. */
export interface FindingJson {
  severity: 'error' | 'warning';
  message: string;
  /** The file the finding is in; the given path for a finding about no file (an empty directory). */
  file: string;
  /** 1-based; 0 for a finding about no file. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The kubelet's field path ('providers.name'); '' for the whole file. */
  field: string;
  /** The precise path in the file ('providers[2].name'); '' for the whole file. */
  path: string;
}

export function findingJson(f: ConfigFinding, configPath: string): FindingJson {
  const noFile = f.file === '';
  return {
    severity: f.severity,
    message: f.message,
    file: noFile ? configPath : f.file,
    line: noFile ? 0 : f.range.line,
    column: noFile ? 0 : f.range.column,
    endLine: noFile ? 0 : f.range.endLine,
    endColumn: noFile ? 0 : f.range.endColumn,
    field: f.field,
    path: f.path,
  };
}
