/**
 * The values a run of a user's exec plugin needs from a kubeconfig file: the exec stanza with its
 * args and env values (which kubeconfigDocument.ts deliberately never keeps) and the cluster sent
 * with provideClusterInfo. Read only for an explicit run: the result holds secrets, so it goes to
 * the process and nowhere else. Which file defines a name is the merge's business (kubeconfigMerge.ts).
 */
import { parse } from 'yaml';
import type { ExecCluster, ExecConfig, ExecEnvVar } from '../sim/execAuth/execConfig';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The `<body>` of `<list>: [{name, <body>}]` for `name`: the file's first entry of that name. */
function namedEntry(text: string, list: 'users' | 'clusters', body: 'user' | 'cluster', name: string): Obj | undefined {
  let root: unknown;
  try {
    root = parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(root) || !Array.isArray(root[list])) return undefined;
  const entry = (root[list] as unknown[]).find((e) => isObj(e) && e.name === name);
  return isObj(entry) && isObj(entry[body]) ? entry[body] : undefined;
}

/** The exec stanza of user `userName` as written (no kubeconfig defaults applied), or undefined. */
export function readExecConfig(text: string, userName: string): ExecConfig | undefined {
  const exec = namedEntry(text, 'users', 'user', userName)?.exec;
  if (!isObj(exec)) return undefined;
  const env: ExecEnvVar[] | undefined = Array.isArray(exec.env)
    ? exec.env.flatMap((e) => (isObj(e) && str(e.name) ? [{ name: str(e.name) as string, value: str(e.value) ?? '' }] : []))
    : undefined;
  const interactiveMode = str(exec.interactiveMode);
  const installHint = str(exec.installHint);
  return {
    command: str(exec.command) ?? '',
    apiVersion: str(exec.apiVersion) ?? '',
    ...(Array.isArray(exec.args) ? { args: exec.args.map((a) => (typeof a === 'string' ? a : String(a))) } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(interactiveMode !== undefined ? { interactiveMode } : {}),
    ...(installHint !== undefined ? { installHint } : {}),
    ...(exec.provideClusterInfo === true ? { provideClusterInfo: true } : {}),
  };
}

/** The cluster `clusterName` as the exec input's spec.cluster (SPEC C.7), or undefined. */
export function readExecCluster(text: string, clusterName: string): ExecCluster | undefined {
  const c = namedEntry(text, 'clusters', 'cluster', clusterName);
  if (c === undefined) return undefined;
  const extensions = Array.isArray(c.extensions) ? c.extensions : [];
  // The cluster's `client.authentication.k8s.io/exec` extension is passed on as spec.cluster.config.
  const execExtension = extensions.find((e) => isObj(e) && e.name === 'client.authentication.k8s.io/exec');
  const server = str(c.server) ?? '';
  const tlsServerName = str(c['tls-server-name']);
  const ca = str(c['certificate-authority-data']);
  const proxyUrl = str(c['proxy-url']);
  return {
    server,
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    ...(c['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
    ...(ca !== undefined ? { certificateAuthorityData: ca } : {}),
    ...(proxyUrl !== undefined ? { proxyUrl } : {}),
    ...(c['disable-compression'] === true ? { disableCompression: true } : {}),
    ...(isObj(execExtension) && execExtension.extension !== undefined ? { config: execExtension.extension } : {}),
  };
}
