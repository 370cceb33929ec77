/**
 * Finds and loads the user's kubeconfig the way kubectl does (an explicit path, else every file of
 * KUBECONFIG, else ~/.kube/config) and summarises it without ever exposing credential values.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { redactSecrets } from '../token/redact';

export type KubeconfigSource =
  | { kind: 'setting'; files: string[] }
  | { kind: 'env'; files: string[] }
  | { kind: 'default'; files: string[] };

export type UserAuthKind = 'exec' | 'token' | 'clientCertificate' | 'authProvider' | 'basic' | 'none';

export interface ContextSummary {
  name: string;
  cluster: string;
  server?: string;
  user: string;
  namespace?: string;
  current: boolean;
}

export interface UserSummary {
  name: string;
  auth: UserAuthKind;
  /** For exec users: the command and apiVersion (arguments may hold secrets, so they are counted, not shown). */
  exec?: { command: string; apiVersion: string; argCount: number; interactiveMode?: string };
}

export type KubeconfigLoad =
  | { status: 'loaded'; source: KubeconfigSource; config: KubeConfig; contexts: ContextSummary[]; users: UserSummary[] }
  | { status: 'notFound'; looked: string[] }
  | { status: 'error'; source: KubeconfigSource; file: string; message: string };

export interface KubeconfigEnv {
  /** kubeTokenLens.kubeconfigPath; empty = not set. */
  settingPath: string;
  kubeconfigEnv: string | undefined;
  home: string;
}

export function defaultKubeconfigEnv(settingPath: string): KubeconfigEnv {
  return { settingPath, kubeconfigEnv: process.env.KUBECONFIG, home: homedir() };
}

/** Which files kubectl would read, in order, and why. */
export function resolveKubeconfigFiles(env: KubeconfigEnv): { source: KubeconfigSource | undefined; looked: string[] } {
  if (env.settingPath.trim() !== '') {
    const file = env.settingPath.trim().replace(/^~(?=$|\/)/, env.home);
    return { source: { kind: 'setting', files: [file] }, looked: [file] };
  }
  if (env.kubeconfigEnv && env.kubeconfigEnv.trim() !== '') {
    const listed = env.kubeconfigEnv.split(delimiter).filter((f) => f !== '');
    const present = listed.filter((f) => existsSync(f));
    return { source: present.length ? { kind: 'env', files: present } : undefined, looked: listed };
  }
  const file = join(env.home, '.kube', 'config');
  return { source: existsSync(file) ? { kind: 'default', files: [file] } : undefined, looked: [file] };
}

export function loadKubeconfig(env: KubeconfigEnv): KubeconfigLoad {
  const { source, looked } = resolveKubeconfigFiles(env);
  if (!source) return { status: 'notFound', looked };
  if (source.kind === 'setting' && !existsSync(source.files[0] ?? '')) {
    return { status: 'error', source, file: source.files[0] ?? '', message: 'file does not exist (kubeTokenLens.kubeconfigPath)' };
  }
  const config = new KubeConfig();
  // Merge files one by one so an error names the file it came from (first file wins, as in kubectl).
  for (const file of source.files) {
    try {
      if (file === source.files[0]) {
        config.loadFromFile(file);
      } else {
        const part = new KubeConfig();
        part.loadFromFile(file);
        config.mergeConfig(part, true);
      }
    } catch (err) {
      return { status: 'error', source, file, message: describeLoadError(err) };
    }
  }
  return { status: 'loaded', source, config, contexts: summariseContexts(config), users: summariseUsers(config) };
}

function describeLoadError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // js-yaml errors carry "(line:col)"; keep the first line, which names the position (the snippet
  // below it may quote a user's token), and redact it too.
  return redactSecrets(text.split('\n')[0] ?? text);
}

export function summariseContexts(config: KubeConfig): ContextSummary[] {
  const current = config.getCurrentContext();
  return config.getContexts().map((ctx) => {
    const cluster = config.getCluster(ctx.cluster);
    const summary: ContextSummary = { name: ctx.name, cluster: ctx.cluster, user: ctx.user, current: ctx.name === current };
    if (cluster?.server) summary.server = cluster.server;
    if (ctx.namespace) summary.namespace = ctx.namespace;
    return summary;
  });
}

export function summariseUsers(config: KubeConfig): UserSummary[] {
  return config.getUsers().map((user) => {
    const exec = user.exec as { command?: string; apiVersion?: string; args?: string[]; interactiveMode?: string } | undefined;
    if (exec) {
      const info: UserSummary['exec'] = {
        command: exec.command ?? '',
        apiVersion: exec.apiVersion ?? '',
        argCount: exec.args?.length ?? 0,
      };
      if (exec.interactiveMode) info.interactiveMode = exec.interactiveMode;
      return { name: user.name, auth: 'exec', exec: info };
    }
    let auth: UserAuthKind = 'none';
    if (user.token) auth = 'token';
    else if (user.certData || user.certFile) auth = 'clientCertificate';
    else if (user.authProvider) auth = 'authProvider';
    else if (user.username) auth = 'basic';
    return { name: user.name, auth };
  });
}
