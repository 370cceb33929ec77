/**
 * The texts the credential-provider lenses show (Markdown, in a read-only document a user can read,
 * search and copy): "Test Image" (which providers the kubelet asks for an image, why not the others,
 * and the cache keys it tries) and "Run Provider Plugin" (a real plugin's decoded answer). Pure: no
 * vscode, no clock (the caller passes `now`), so the wording is unit-tested. Passwords appear only
 * when the caller asks for them (the user's explicit Reveal Passwords).
 */
import { baseCacheKey, globalCacheKey } from '../sim/credentialProvider/cacheKeys';
import { PLUGIN_CACHE_KEY_TYPES, type CredentialKubeletVersion, type CredentialProvider, type DockerConfig, type PluginCacheKeyType } from '../sim/credentialProvider/config';
import type { ConfigFinding } from '../sim/credentialProvider/configDecode';
import { formatGoDuration } from '../sim/credentialProvider/goDuration';
import type { ProviderMatch } from '../sim/credentialProvider/imageExplain';
import { parseRegistry } from '../sim/credentialProvider/imageRegistry';
import type { CacheExpiry } from '../sim/credentialProvider/pluginIO';
import { formatDateTime } from '../sim/units/datetime';
import { formatDuration } from '../sim/units/duration';
import type { CredentialProviderPluginRun, RedactedAuthConfig } from '../plugins/credentialProviderPlugin';
import { redactSecrets } from '../token/redact';

/** The rules in use, as a user reads them. */
export interface KubeletRules {
  kubeletVersion: CredentialKubeletVersion;
  serviceAccountTokenGate: boolean;
}

export function rulesText(r: KubeletRules): string {
  return `kubelet ${r.kubeletVersion}${r.kubeletVersion === '1.34' ? ' and later' : ''} rules, service-account tokens for credential providers ${r.serviceAccountTokenGate ? 'on' : 'off'}`;
}

/** Text inside a Markdown code span, whatever backticks it holds. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text.replace(/\n/g, ' ')}${pad}${fence}`;
}

/** A fenced block holding `text` verbatim. */
export function block(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** The first error of a config, as `file:line:col: message`. */
export function firstErrorText(findings: readonly ConfigFinding[]): string | undefined {
  const e = findings.find((f) => f.severity === 'error');
  return e === undefined ? undefined : `${e.file === '' ? '' : `${e.file}:`}${e.range.line}:${e.range.column}: ${e.message}`;
}

export interface ImageTestInput extends KubeletRules {
  image: string;
  /** The config's name as the user knows it (a workspace-relative path). */
  source: string;
  providers: readonly CredentialProvider[];
  matches: readonly ProviderMatch[];
  /** SPEC B.2: providers in service-account-token mode (by index). */
  serviceAccountMode: (provider: CredentialProvider) => boolean;
}

/** SPEC B.5: the keys tried in order, and which cacheKeyType stores under each (B.3 step 7). */
function cacheKeyLines(image: string, version: CredentialKubeletVersion, saMode: boolean): string[] {
  const keys: Array<[string, PluginCacheKeyType]> = [
    ['the image', 'Image'],
    ['its registry', 'Registry'],
    ['the global key', 'Global'],
  ];
  const lines = [
    'Cache keys the kubelet looks up for this pull, in this order, stopping at the first entry that has not expired:',
    '',
    ...keys.map(([what, type], i) => `${i + 1}. ${what}: ${code(baseCacheKey(type, image, version))} (stored there when the plugin answers \`cacheKeyType: ${type}\`)`),
    '',
    "On a miss the plugin runs, and its answer's `cacheKeyType` decides which of these keys the answer is stored under; any other value makes the kubelet drop the answer.",
  ];
  if (saMode) {
    lines.push(
      '',
      "Service-account-token mode: each key is combined with the pulling pod's service account (namespace, name, UID and the annotations sent), and with the token's hash when `cacheType` is Token, so pods of different service accounts never share an entry.",
    );
  }
  return lines;
}

export function imageTestMarkdown(input: ImageTestInput): string {
  const matched = input.matches.filter((m) => m.matched);
  const out: string[] = [`# Test Image: ${code(input.image)}`, '', `Config ${code(input.source)}, ${rulesText(input)}.`, ''];
  if (input.providers.length === 0) out.push('The config has no providers.');
  else if (matched.length === 0) {
    out.push(`**No provider matches this image**: the kubelet runs no credential provider plugin for it and pulls with the pod's image pull secrets (if any) only.`);
  } else {
    out.push(
      `**${matched.length} of ${input.providers.length} provider${input.providers.length === 1 ? '' : 's'} match${matched.length === 1 ? 'es' : ''}**: ${matched.map((m) => code(m.provider)).join(', ')}. The kubelet asks each of them (from its cache, else by running the plugin) and adds every answer to the pull's credentials.`,
    );
  }
  input.matches.forEach((m) => {
    const provider = input.providers[m.index];
    out.push('', `## ${m.matched ? '✔' : '✘'} ${code(m.provider)} ${m.matched ? 'matches' : 'does not match'}`, '');
    if (m.matched && m.matchedBy !== undefined) out.push(`Matched by the matchImages entry ${code(m.matchedBy)} (the kubelet stops at the first entry that matches).`, '');
    for (const p of m.patterns) out.push(`- ${code(p.pattern)}: ${p.matched ? 'matches' : `no: ${p.reason ?? 'does not match'}`}`);
    if (m.matched && provider !== undefined) {
      out.push('', ...cacheKeyLines(input.image, input.kubeletVersion, input.serviceAccountMode(provider)));
      if (provider.defaultCacheDuration !== undefined) {
        out.push('', `When the plugin leaves \`cacheDuration\` out, its answer is kept for the provider's defaultCacheDuration, ${formatGoDuration(provider.defaultCacheDuration)}${provider.defaultCacheDuration === 0n ? ' (that is: not cached)' : ''}.`);
      }
    }
  });
  return `${out.join('\n')}\n`;
}

export interface PluginRunInput extends KubeletRules {
  provider: CredentialProvider;
  image: string;
  run: CredentialProviderPluginRun;
  /** What the kubelet's cache would do with the answer (effectiveCacheExpiry at `now`). */
  expiry?: CacheExpiry;
  now: number;
  /** Auth entries with passwords hidden (redactDockerConfig), always given for an answer. */
  redacted?: Record<string, RedactedAuthConfig>;
  /** Only on the user's explicit request: the passwords themselves. */
  revealed?: DockerConfig;
  /** Ran without a token although the provider is in service-account-token mode. */
  withoutToken: boolean;
}

export function pluginRunMarkdown(input: PluginRunInput): string {
  const { run, provider } = input;
  const out: string[] = [`# Run Provider Plugin: ${code(provider.name)} for ${code(input.image)}`, ''];
  out.push(`Binary ${code(run.binary)}${provider.args?.length ? ` with arguments ${provider.args.map(code).join(' ')}` : ''}, request on stdin as the kubelet sends it (${rulesText(input)}).`);
  if (input.withoutToken) {
    out.push('', "This provider is in service-account-token mode: a real kubelet sends the pulling pod's service-account token and annotations. This run sent none, so a plugin that needs them may refuse.");
  }
  const ran = run.durationMs === undefined ? '' : ` in ${formatDuration(Math.round(run.durationMs))}`;
  if (!run.ok) {
    out.push('', `## ✘ Failed${ran}${run.exitCode === undefined ? '' : `, exit code ${run.exitCode}`}`, '', run.error);
    if (run.stderr !== undefined && run.stderr.trim() !== '') out.push('', '### stderr', '', block(redactSecrets(run.stderr)));
    return `${out.join('\n')}\n`;
  }
  const r = run.response;
  out.push('', `## ✔ Answered${ran}`, '');
  const validType = (PLUGIN_CACHE_KEY_TYPES as readonly string[]).includes(r.cacheKeyType);
  out.push(`- **cacheKeyType**: ${code(r.cacheKeyType)}${validType ? `, stored under ${code(baseCacheKey(r.cacheKeyType as PluginCacheKeyType, input.image, input.kubeletVersion))}` : ' (not Image, Registry or Global: the kubelet drops the answer)'}`);
  out.push(
    `- **cacheDuration**: ${r.cacheDuration === undefined ? `absent, so the provider's defaultCacheDuration applies (${provider.defaultCacheDuration === undefined ? 'none set' : formatGoDuration(provider.defaultCacheDuration)})` : code(formatGoDuration(r.cacheDuration))}`,
  );
  const e = input.expiry;
  if (e !== undefined) {
    out.push(`- **Cached until**: ${e.cached ? `${formatDateTime(e.expiresAt)} (${e.expiresAt >= input.now ? `in ${formatDuration(e.expiresAt - input.now)}` : `already expired ${formatDuration(input.now - e.expiresAt)} ago`})` : `not cached: ${e.why}`}`);
  }
  if (validType && r.cacheKeyType === 'Global') out.push(`- The Global key is ${code(globalCacheKey(input.kubeletVersion))}: one entry serves every image of this provider.`);
  if (validType && r.cacheKeyType === 'Registry') out.push(`- One entry serves every image of registry ${code(parseRegistry(input.image))}.`);
  const entries = Object.keys(input.redacted ?? {});
  out.push('', `### Credentials (${entries.length})${input.revealed === undefined ? ', passwords hidden' : ', passwords shown on your request'}`, '');
  if (entries.length === 0) out.push('None: the plugin returned an empty `auth`.');
  else {
    out.push('| registry or image pattern | username | password |', '|---|---|---|');
    for (const key of entries) {
      const hidden = input.redacted?.[key];
      const shown = input.revealed?.[key]?.password;
      const password = shown !== undefined ? code(shown) : hidden === undefined ? '' : hidden.passwordLength === 0 ? 'empty' : `${hidden.password} (${hidden.passwordLength} characters)`;
      out.push(`| ${code(key)} | ${code(hidden?.username ?? '')} | ${password} |`);
    }
  }
  if (run.warnings.length > 0) out.push('', '### Warnings', '', ...run.warnings.map((w) => `- ${w}`));
  if (run.stderr.trim() !== '') out.push('', '### stderr', '', block(redactSecrets(run.stderr)));
  return `${out.join('\n')}\n`;
}
