/**
 * Runs a real credential provider plugin once, as the kubelet would (SPEC B.7), so that a user can
 * see what their plugin answers: `<binDir>/<name> <args...>`, the kubelet's environment followed
 * by the provider's env entries, the request JSON on stdin, a one-minute timeout, and the response
 * decoded as strictly as the kubelet decodes it. The bytes and the rules are in
 * src/sim/credentialProvider/pluginIO.ts; this file only does the I/O.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthConfig, CredentialProvider, CredentialProviderResponse, DockerConfig } from '../sim/credentialProvider/config';
import { formatGoDuration, msToGoDuration } from '../sim/credentialProvider/goDuration';
import {
  PLUGIN_EXEC_TIMEOUT_MS,
  decodePluginResponse,
  encodePluginRequest,
  type PluginServiceAccount,
} from '../sim/credentialProvider/pluginIO';
import { DEFAULT_MAX_STDOUT_BYTES, runProcess } from './processRunner';

export interface CredentialProviderPluginRequest {
  /** The kubelet's --image-credential-provider-bin-dir. */
  binDir: string;
  provider: CredentialProvider;
  image: string;
  /** Service-account-token mode (v1 only): the token and annotations the kubelet would send. */
  serviceAccount?: PluginServiceAccount;
  /** `NAME=VALUE` entries standing for the kubelet's own environment (usually process.env's). */
  environ: readonly string[];
  /** Defaults to the kubelet's one minute. */
  timeoutMs?: number;
}

/** Where a run stopped: before the binary ran, while starting it, at its exit, or reading its answer. */
export type PluginRunStage = 'binary' | 'start' | 'timeout' | 'exit' | 'output';

export type CredentialProviderPluginRun =
  | {
      ok: true;
      binary: string;
      response: CredentialProviderResponse;
      warnings: string[];
      stderr: string;
      durationMs: number;
      exitCode: 0;
    }
  | {
      ok: false;
      binary: string;
      stage: PluginRunStage;
      error: string;
      /** Present once the plugin has run. */
      stderr?: string;
      durationMs?: number;
      exitCode?: number;
    };

export async function runCredentialProviderPlugin(req: CredentialProviderPluginRequest): Promise<CredentialProviderPluginRun> {
  const { provider, image } = req;
  const binary = join(req.binDir, provider.name);
  const refused = await checkBinary(req.binDir, provider.name, binary);
  if (refused !== undefined) return { ok: false, binary, stage: 'binary', error: refused };

  // SPEC B.7: the kubelet's environment first, then the configured entries; at exec the later wins.
  const env = [...req.environ, ...(provider.env ?? []).map((v) => `${v.name}=${v.value}`)];
  const timeoutMs = req.timeoutMs ?? PLUGIN_EXEC_TIMEOUT_MS;
  const result = await runProcess({
    file: binary,
    args: provider.args ?? [],
    env,
    stdin: encodePluginRequest(provider, image, req.serviceAccount),
    timeoutMs,
  });
  const failedExec = `error execing credential provider plugin ${provider.name} for image ${image}`;
  switch (result.kind) {
    case 'notFound':
      // The file was there a moment ago, so what is missing is what it needs to start.
      return {
        ok: false,
        binary,
        stage: 'start',
        error: `${failedExec}: the plugin could not be started: the interpreter named on its first line (#!) or a library it needs was not found`,
      };
    case 'failed':
      return { ok: false, binary, stage: 'start', error: `${failedExec}: ${result.error}` };
    case 'timedOut':
      return {
        ok: false,
        binary,
        stage: 'timeout',
        error: `${failedExec}: the plugin did not finish within ${formatGoDuration(msToGoDuration(timeoutMs))} and was stopped${withStderr(result.stderr)}`,
        stderr: result.stderr,
        durationMs: result.durationMs,
      };
    case 'signalled':
      return {
        ok: false,
        binary,
        stage: 'exit',
        error: `${failedExec}: signal: ${result.signal}${withStderr(result.stderr)}`,
        stderr: result.stderr,
        durationMs: result.durationMs,
      };
    case 'exited': {
      const ran = { stderr: result.stderr, durationMs: result.durationMs, exitCode: result.code };
      // SPEC B.7: exit code ≠ 0 is an error, with the plugin's stderr.
      if (result.code !== 0) {
        return { ok: false, binary, stage: 'exit', error: `${failedExec}: exit status ${result.code}${withStderr(result.stderr)}`, ...ran };
      }
      if (result.stdoutTruncated) {
        return {
          ok: false,
          binary,
          stage: 'output',
          error: `the plugin wrote more than ${DEFAULT_MAX_STDOUT_BYTES / (1024 * 1024)} MiB to stdout; a CredentialProviderResponse is a few kilobytes`,
          ...ran,
        };
      }
      const decoded = decodePluginResponse(provider.apiVersion, result.stdout);
      if (!decoded.ok) return { ok: false, binary, stage: 'output', error: decoded.error, ...ran };
      return { ok: true, binary, response: decoded.response, warnings: decoded.warnings, stderr: result.stderr, durationMs: result.durationMs, exitCode: 0 };
    }
  }
}

/**
 * SPEC B.7 (registration): the bin dir and the binary must exist and the binary be executable. The
 * kubelet's own "did not exist" message prints an empty path (it formats the failed lookup's
 * result); ours names the file. Names that validation rejects (SPEC B.2) are refused here too,
 * so a provider name can never point outside the bin dir.
 */
async function checkBinary(binDir: string, name: string, binary: string): Promise<string | undefined> {
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    return `provider name ${JSON.stringify(name)} cannot be run: a provider name cannot contain '/' or be '.' or '..'`;
  }
  try {
    if (!(await stat(binDir)).isDirectory()) return `plugin binary directory ${binDir} is not a directory`;
  } catch (e) {
    if (isMissing(e)) return `plugin binary directory ${binDir} did not exist`;
    return `error inspecting binary directory ${binDir}: ${errorText(e)}`;
  }
  try {
    const s = await stat(binary);
    if (s.isDirectory()) {
      return `error inspecting binary executable ${binary}: is a directory${name === '' ? ' (the provider name is empty)' : ''}`;
    }
  } catch (e) {
    if (isMissing(e)) return `plugin binary executable ${binary} did not exist`;
    return `error inspecting binary executable ${binary}: ${errorText(e)}`;
  }
  try {
    await access(binary, constants.X_OK);
  } catch {
    return `error inspecting binary executable ${binary}: permission denied (the file is not executable; the kubelet needs it to be, e.g. chmod +x)`;
  }
  return undefined;
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function withStderr(stderr: string): string {
  const text = stderr.trimEnd();
  return text === '' ? '' : `: ${text}`;
}

export const HIDDEN_PASSWORD = '••••';

export interface RedactedAuthConfig {
  username: string;
  password: typeof HIDDEN_PASSWORD;
  /** How long the hidden password is: enough to tell an empty one from a real one. */
  passwordLength: number;
}

/** A plugin's auth entries with every password hidden, for showing the answer to a user. */
export function redactDockerConfig(config: DockerConfig): Record<string, RedactedAuthConfig> {
  const out: Record<string, RedactedAuthConfig> = {};
  for (const [registry, auth] of Object.entries(config) as Array<[string, AuthConfig]>) {
    Object.defineProperty(out, registry, {
      value: { username: auth.username, password: HIDDEN_PASSWORD, passwordLength: auth.password.length },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
