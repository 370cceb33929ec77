/**
 * `kube-token-lens demo-cluster [--pods N] [--port P] [--key-alg RS256|ES256] [--write-kubeconfig FILE]`:
 * runs the embedded demo API server in the foreground until Ctrl-C, after printing its URL and the
 * kubeconfig that reaches it. Exit 2 for bad flags, 1 when the server cannot start.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, stringFlag, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { DEMO_CONTEXT, startDemoCluster, type DemoCluster, type DemoClusterOptions } from '../cluster/demo';

export interface DemoClusterIO extends CliIO {
  /** Resolves when the user asks to stop (Ctrl-C / SIGTERM); default: the process signals. */
  waitForInterrupt?(): Promise<void>;
  /** Called once the server listens (tests use it to talk to the server). */
  onStarted?(cluster: DemoCluster): void;
}

export const DEMO_CLUSTER_USAGE = `Usage: kube-token-lens demo-cluster [--pods N] [--port P] [--key-alg RS256|ES256] [--write-kubeconfig FILE]

Runs the built-in demo cluster: a small Kubernetes API server on https://127.0.0.1 with namespaces,
service accounts, pods with projected service-account tokens, a legacy token Secret, TokenRequest,
TokenReview and the issuer's keys. Stops on Ctrl-C.

  --pods N                  add N generated pods (default 0; the curated ones are always there)
  --port P                  listen on this port (default: a free one)
  --key-alg RS256|ES256     service-account signing key (default RS256)
  --write-kubeconfig FILE   where to write the kubeconfig, owner-only (default: a temporary file, removed on stop)

Use it with kubectl:  KUBECONFIG=<printed path> kubectl get pods -A
`;

const FLAGS = { pods: 'string', port: 'string', 'key-alg': 'string', 'write-kubeconfig': 'string', help: 'boolean' } as const;

function wholeNumber(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

function processInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export async function demoClusterCommand(args: string[], io: DemoClusterIO): Promise<number> {
  const opts: DemoClusterOptions = {};
  let kubeconfigPath: string | undefined;
  try {
    const parsed = parseArgs(args, FLAGS);
    if (parsed.flags.has('help')) {
      io.stdout(DEMO_CLUSTER_USAGE);
      return EXIT_OK;
    }
    if (parsed.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
    const pods = wholeNumber('pods', stringFlag(parsed, 'pods'), 100_000);
    const port = wholeNumber('port', stringFlag(parsed, 'port'), 65_535);
    const alg = stringFlag(parsed, 'key-alg');
    if (alg !== undefined && alg !== 'RS256' && alg !== 'ES256') throw new UsageError(`--key-alg must be RS256 or ES256, got ${JSON.stringify(alg)}`);
    if (pods !== undefined) opts.pods = pods;
    if (port !== undefined) opts.port = port;
    if (alg !== undefined) opts.keyAlg = alg;
    kubeconfigPath = stringFlag(parsed, 'write-kubeconfig');
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`kube-token-lens demo-cluster: ${err.message}\n\n${DEMO_CLUSTER_USAGE}`);
      return EXIT_USAGE;
    }
    throw err;
  }

  let cluster: DemoCluster;
  try {
    cluster = await startDemoCluster(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EACCES' ? 'permission denied' : (e.message ?? String(err));
    io.stderr(`kube-token-lens demo-cluster: cannot listen on 127.0.0.1:${opts.port ?? 0}: ${why}\n`);
    return EXIT_FAILURE;
  }
  const path = kubeconfigPath ?? join(tmpdir(), `kube-token-lens-demo-${cluster.port}.kubeconfig`);
  try {
    await io.writeFile(path, cluster.kubeconfigYaml(), { secret: true });
  } catch (err) {
    await cluster.stop();
    io.stderr(`kube-token-lens demo-cluster: cannot write the kubeconfig ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(
    `Demo cluster listening on ${cluster.url}\n` +
      `kubeconfig: ${path} (context ${DEMO_CONTEXT})\n` +
      `  KUBECONFIG=${path} kubectl get pods -A\n` +
      `${cluster.store.count('pods')} pods in ${cluster.store.count('namespaces')} namespaces. Press Ctrl-C to stop.\n`,
  );
  io.onStarted?.(cluster);
  await (io.waitForInterrupt ?? processInterrupt)();
  await cluster.stop();
  // The default kubeconfig is ours (a temporary file): leave no credential behind. A path the user
  // named is theirs to keep.
  if (kubeconfigPath === undefined) await io.removeFile(path).catch(() => undefined);
  io.stdout(kubeconfigPath === undefined ? `Demo cluster stopped; removed ${path}.\n` : 'Demo cluster stopped.\n');
  return EXIT_OK;
}
