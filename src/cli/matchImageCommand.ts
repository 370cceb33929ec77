/**
 * `kube-token-lens match-image <config> <image> [--kubelet-version 1.33|1.34] [--feature-gate on|off]`:
 * which credential providers the kubelet would run for an image (SPEC B.3 step 1, B.8) and why the
 * others do not, whether a provider runs in service-account-token mode (B.2), and the cache keys it
 * looks up first (B.5). Exit 0 when a provider matches, 3 when none does, 1 when the config is
 * invalid or unreadable, 2 for usage errors.
 */
import { parseArgs, UsageError } from './args';
import { EXIT_FAILURE, EXIT_NO_MATCH, EXIT_OK, EXIT_USAGE } from './io';
import { findingsText, KUBELET_FLAGS, kubeletChoice, readAndLoadConfig, type CredentialProviderConfigIO, type KubeletChoice } from './credentialProviderConfigReport';
import { explainImage, type ProviderMatch } from '../sim/credentialProvider/imageExplain';
import { baseCacheKey } from '../sim/credentialProvider/cacheKeys';
import { parseSchemelessUrl } from '../sim/credentialProvider/goUrl';
import { cachesPerToken, PLUGIN_CACHE_KEY_TYPES, usesServiceAccountTokens, type CredentialProvider } from '../sim/credentialProvider/config';
import { goQuote } from '../sim/units/goQuote';

export const MATCH_IMAGE_USAGE = `Usage: kube-token-lens match-image <config> <image> [--kubelet-version 1.33|1.34] [--feature-gate on|off]

Shows which credential provider plugins of a kubelet CredentialProviderConfig (file or directory) the
kubelet would run to pull <image>, and why each other provider does not match: every matchImages
pattern with its verdict. For each matching provider: whether it runs in service-account-token mode,
and the plugin cache keys the kubelet looks up for this image, in order (image, registry, global).

  --kubelet-version 1.33|1.34  kubelet rules to follow (default 1.34, which stands for 1.34 and later)
  --feature-gate on|off        KubeletServiceAccountTokenForCredentialProviders (default: off in 1.33, on in 1.34)

Exit status: 0 at least one provider matches; 3 none does; 1 the config is invalid or cannot be read;
2 usage error.
`;

const FLAGS = { ...KUBELET_FLAGS, help: 'boolean' } as const;

const PROGRAM = 'kube-token-lens match-image';

export async function matchImageCommand(args: readonly string[], io: CredentialProviderConfigIO): Promise<number> {
  let parsed;
  let choice;
  try {
    parsed = parseArgs(args, FLAGS);
    if (!parsed.flags.has('help')) {
      if (parsed.positionals.length !== 2) {
        throw new UsageError(parsed.positionals.length < 2 ? 'match-image needs a config (file or directory) and an image' : 'match-image takes one config and one image');
      }
      if (parsed.positionals[1] === '') throw new UsageError('the image is empty');
      choice = kubeletChoice(parsed);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${MATCH_IMAGE_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (choice === undefined) {
    io.stdout(MATCH_IMAGE_USAGE);
    return EXIT_OK;
  }
  const [path = '', image = ''] = parsed.positionals;
  const read = await readAndLoadConfig(path, choice, io);
  if (!read.ok) {
    io.stderr(`${PROGRAM}: ${read.error}\n`);
    return EXIT_FAILURE;
  }
  const config = read.loaded.config;
  if (!read.loaded.valid || config === undefined) {
    // The kubelet refuses to start with such a config: no image is matched at all.
    io.stderr(findingsText(read, path));
    io.stderr(`${PROGRAM}: the config is invalid: the kubelet would not start with it (see kube-token-lens check-config)\n`);
    return EXIT_FAILURE;
  }
  // Warnings do not stop the kubelet; show them where they cannot be mistaken for the answer.
  if (read.loaded.findings.length > 0) io.stderr(findingsText(read, path));

  const matches = explainImage(config, image);
  const out: string[] = [`Image ${image}  (kubelet ${versionText(choice)}, service-account tokens for credential providers ${choice.serviceAccountTokenGate ? 'on' : 'off'})`];
  const parsedImage = parseSchemelessUrl(image);
  if (!parsedImage.ok) out.push(`The image is not a valid reference for the kubelet's matching (${parsedImage.error}): no provider can match it.`);
  for (const m of matches) {
    out.push('');
    out.push(...providerLines(m, config.providers[m.index], choice, image));
  }
  out.push('');
  const matched = matches.filter((m) => m.matched);
  if (matched.length === 0) {
    out.push(
      `No provider matches ${image}: the kubelet runs no credential provider plugin for it and uses only the pod's imagePullSecrets and the node's own registry credentials, if any, or pulls anonymously.`,
    );
  } else {
    out.push(`${matched.length} of ${matches.length} provider${matches.length === 1 ? '' : 's'} match${matched.length === 1 ? 'es' : ''}.`);
    // SPEC B.8 (multiple providers): every matching provider runs; their answers go into one keyring.
    if (matched.length > 1) out.push('The kubelet asks every matching provider and puts all their credentials into one keyring, most specific registry entry first.');
  }
  io.stdout(`${out.join('\n')}\n`);
  return matched.length > 0 ? EXIT_OK : EXIT_NO_MATCH;
}

function versionText(choice: KubeletChoice): string {
  return choice.kubeletVersion === '1.34' ? '1.34+' : choice.kubeletVersion;
}

function providerLines(m: ProviderMatch, provider: CredentialProvider | undefined, choice: KubeletChoice, image: string): string[] {
  const lines = [`${m.provider}: ${m.matched ? `matches (by ${goQuote(m.matchedBy ?? '')})` : 'does not match'}`];
  for (const p of m.patterns) {
    lines.push(`  ${p.matched ? '✓' : '✗'} ${goQuote(p.pattern)}${p.matched ? (p.pattern === m.matchedBy ? '  (the kubelet stops here)' : '') : `: ${p.reason ?? ''}`}`);
  }
  if (!m.matched || provider === undefined) return lines;
  lines.push(...modeLines(provider, choice));
  // SPEC B.5: lookup order image → registry → global, the first hit wins.
  lines.push('  cache keys the kubelet looks up for this image, in order (the first live entry is used):');
  PLUGIN_CACHE_KEY_TYPES.forEach((keyType, i) => {
    lines.push(`    ${i + 1}. ${keyType.padEnd(8)}  ${goQuote(baseCacheKey(keyType, image, choice.kubeletVersion))}`);
  });
  lines.push(`  on a miss the plugin runs; its answer's cacheKeyType (${PLUGIN_CACHE_KEY_TYPES.join(', ')}) decides which of these keys it stores the credentials under.`);
  return lines;
}

function modeLines(provider: CredentialProvider, choice: KubeletChoice): string[] {
  const attrs = provider.tokenAttributes;
  if (attrs === undefined || !usesServiceAccountTokens(provider, choice.serviceAccountTokenGate)) {
    return ["  mode: plain (no service-account token: one cache for all pods)"];
  }
  const perToken = cachesPerToken(provider, choice.kubeletVersion);
  const lines = [
    `  mode: service-account token (audience ${goQuote(attrs.serviceAccountTokenAudience)}${choice.kubeletVersion === '1.33' ? '' : `, cacheType ${attrs.cacheType ?? ''}`})`,
    attrs.requireServiceAccount === true
      ? '    a pod without a service account gets no credentials from this provider'
      : '    a pod without a service account is served as in plain mode, from the shared cache',
  ];
  const required = attrs.requiredServiceAccountAnnotationKeys ?? [];
  const optional = attrs.optionalServiceAccountAnnotationKeys ?? [];
  if (required.length > 0) lines.push(`    the service account must have the annotations ${required.map(goQuote).join(', ')} (otherwise no credentials)`);
  if (optional.length > 0) lines.push(`    annotations passed to the plugin when present: ${optional.map(goQuote).join(', ')}`);
  // SPEC B.4: the service-account part of the key.
  lines.push(
    `    each cache key below also holds the pod's service account (namespace, name, UID${required.length + optional.length > 0 ? ' and those annotations' : ''}${perToken ? ', and the token\'s hash: every token has its own entries' : ': every service account has its own entries'})`,
  );
  return lines;
}
