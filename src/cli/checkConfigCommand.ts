/**
 * `kube-token-lens check-config <file|dir> [--kubelet-version 1.33|1.34] [--feature-gate on|off] [--json]`:
 * validates a kubelet CredentialProviderConfig as the kubelet does at start-up (SPEC B.1 decoding,
 * B.2 validation) and prints every finding. Exit 0 when valid (warnings alone do not fail it), 1 on
 * errors or when the path cannot be read, 2 for usage errors.
 */
import { parseArgs, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';
import {
  findingJson,
  findingsText,
  KUBELET_FLAGS,
  kubeletChoice,
  readAndLoadConfig,
  summaryLine,
  type CredentialProviderConfigIO,
} from './credentialProviderConfigReport';

export const CHECK_CONFIG_USAGE = `Usage: kube-token-lens check-config <file|dir> [--kubelet-version 1.33|1.34] [--feature-gate on|off] [--json]

Checks a kubelet CredentialProviderConfig (the file or directory given to the kubelet's
--image-credential-provider-config) as the kubelet does when it starts: strict decoding, then every
validation rule, with the kubelet's own messages. Prints one line per finding,
file:line:col: error: message (warnings as "warning:"), then a summary. A directory is read as newer
kubelets read it: its .json, .yaml and .yml files in name order, providers concatenated, a provider
name used twice refused.

  --kubelet-version 1.33|1.34  kubelet rules to follow (default 1.34, which stands for 1.34 and later)
  --feature-gate on|off        KubeletServiceAccountTokenForCredentialProviders (default: off in 1.33, on in 1.34)
  --json                       print the findings as JSON

Exit status: 0 valid (warnings allowed); 1 errors, or the path cannot be read; 2 usage error.
`;

const FLAGS = { ...KUBELET_FLAGS, json: 'boolean', help: 'boolean' } as const;

export async function checkConfigCommand(args: readonly string[], io: CredentialProviderConfigIO): Promise<number> {
  let parsed;
  let choice;
  try {
    parsed = parseArgs(args, FLAGS);
    if (!parsed.flags.has('help')) {
      if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'check-config needs a config file or directory' : 'check-config takes one config file or directory');
      choice = kubeletChoice(parsed);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kube-token-lens check-config: ${e.message}\n\n${CHECK_CONFIG_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (choice === undefined) {
    io.stdout(CHECK_CONFIG_USAGE);
    return EXIT_OK;
  }
  const path = parsed.positionals[0] ?? '';
  const read = await readAndLoadConfig(path, choice, io);
  if (!read.ok) {
    io.stderr(`kube-token-lens check-config: ${read.error}\n`);
    return EXIT_FAILURE;
  }
  const { loaded } = read;
  if (parsed.flags.has('json')) {
    const errors = loaded.findings.filter((f) => f.severity === 'error').length;
    const out = {
      path,
      kubeletVersion: choice.kubeletVersion,
      serviceAccountTokenGate: choice.serviceAccountTokenGate,
      directory: read.directory,
      files: read.files,
      valid: loaded.valid,
      providers: (loaded.config?.providers ?? []).map((p, i) => ({
        name: p.name,
        file: loaded.providerSources[i]?.file ?? '',
        line: loaded.providerSources[i]?.range.line ?? 0,
        column: loaded.providerSources[i]?.range.column ?? 0,
      })),
      errors,
      warnings: loaded.findings.length - errors,
      summary: summaryLine(loaded),
      findings: loaded.findings.map((f) => findingJson(f, path)),
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout(findingsText(read, path));
  }
  return loaded.valid ? EXIT_OK : EXIT_FAILURE;
}
