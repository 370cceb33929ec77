import * as vscode from 'vscode';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from '../cluster/clusterClient';
import { startDemoCluster, DEMO_CONTEXT, type DemoCluster } from '../cluster/demo';
import type { KubeconfigState } from './kubeconfigState';
import type { KubeconfigLoad } from '../cluster/kubeconfig';
import type { Consent } from './consent';
import { getSetting } from './configuration';
import { DisposableBase } from './disposable';

/** The built-in demo cluster's row in the Cluster view (it is not in any kubeconfig file). */
export const DEMO_CONTEXT_LABEL = 'Demo cluster (built-in)';
export const DEMO_KEY = `demo:${DEMO_CONTEXT}`;
/** globalState key: { [context key]: namespace names the user entered }. */
const ENTERED_NAMESPACES_KEY = 'kubeTokenLens.enteredNamespaces';

/**
 * Clients for the contexts the user browses, created on first use. The demo cluster is started on
 * demand (the first time its context is expanded) and stopped when the extension deactivates.
 */
export class ClusterConnections extends DisposableBase {
  private readonly clients = new Map<string, ClusterClient>();
  private demo: Promise<DemoCluster> | undefined;
  /** Kubeconfig users whose exec plugin the user allowed to run, this session. */
  private readonly allowedExec = new Set<string>();
  /**
   * Users whose plugin the user said no to: not asked again until they Refresh or the kubeconfig
   * changes. Without it every re-render of an expanded context row (a tree refresh after a token read,
   * the 30 s re-label) would pop the question up again.
   */
  private readonly declinedExec = new Set<string>();

  /** Namespaces typed in for contexts that may not list them, when no memento keeps them (tests). */
  private readonly sessionNamespaces = new Map<string, string[]>();

  /** @param memento keeps the namespaces users typed in, per context, across sessions (globalState). */
  constructor(
    private readonly kubeconfig: KubeconfigState,
    private readonly consent: Consent,
    private readonly log: vscode.LogOutputChannel,
    private readonly memento?: vscode.Memento,
  ) {
    super();
    // A changed kubeconfig may change servers or credentials: forget the clients made from it.
    this.own(kubeconfig.onDidChange(() => {
      for (const key of [...this.clients.keys()]) if (key !== DEMO_KEY) this.clients.delete(key);
      this.allowedExec.clear();
      this.declinedExec.clear();
    }));
  }

  /** `key` is "kubeconfig:<context>" or DEMO_KEY. */
  async client(key: string): Promise<ClusterClient> {
    const cached = this.clients.get(key);
    if (cached) return cached;
    let client: ClusterClient;
    if (key === DEMO_KEY) {
      const demo = await this.demoCluster();
      const kc = new KubeConfig();
      kc.loadFromString(demo.kubeconfigYaml(DEMO_CONTEXT));
      client = new ClusterClient(kc, DEMO_CONTEXT);
    } else {
      const load = this.kubeconfig.get();
      if (load.status !== 'loaded') throw new Error('the kubeconfig is not loaded');
      const contextName = key.slice('kubeconfig:'.length);
      await this.allowExecPlugin(load, contextName);
      client = new ClusterClient(load.config, contextName);
    }
    this.clients.set(key, client);
    return client;
  }

  /**
   * Talking to a context whose user has an exec credential plugin runs that program: a deliberate
   * act, so it needs the user's yes (once per user and session) and a trusted workspace.
   */
  private async allowExecPlugin(load: Extract<KubeconfigLoad, { status: 'loaded' }>, contextName: string): Promise<void> {
    const ctx = load.contexts.find((c) => c.name === contextName);
    const user = ctx ? load.users.find((u) => u.name === ctx.user) : undefined;
    if (!user?.exec || this.allowedExec.has(user.name)) return;
    const declined = (): Error => new Error(`not connected: running the exec plugin “${user.exec?.command}” of user ${user.name} was not allowed (Refresh to be asked again)`);
    if (this.declinedExec.has(user.name)) throw declined();
    const allowed = await this.consent.ask(
      `Connecting to ${contextName} runs the credential plugin “${user.exec.command}” of user ${user.name}.`,
      `Kube Token Lens will run \`${user.exec.command}\` (${user.exec.argCount} argument(s)) as your kubeconfig says, to get a credential for this cluster. Allow it for this session?`,
      'Run Plugin',
    );
    if (!allowed) {
      this.declinedExec.add(user.name);
      throw declined();
    }
    this.allowedExec.add(user.name);
    this.log.info(`exec plugin of user ${user.name} allowed for this session`);
  }

  /** The user asked to Refresh: plugins they declined are asked about again on the next connection. */
  askAgain(): void {
    this.declinedExec.clear();
  }

  /**
   * The namespaces the user said they can read in a context whose user may not list namespaces
   * (undefined: none entered). Kept per context key; a kubeconfig context of the same name on another
   * machine is another cluster, so globalState (this machine) is the right home.
   */
  enteredNamespaces(key: string): string[] | undefined {
    const stored = this.memento?.get<unknown>(ENTERED_NAMESPACES_KEY);
    if (this.memento === undefined) return this.sessionNamespaces.get(key);
    const all = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
    const names = all[key];
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : undefined;
  }

  async setEnteredNamespaces(key: string, names: string[]): Promise<void> {
    if (this.memento === undefined) {
      this.sessionNamespaces.set(key, names);
      return;
    }
    const stored = this.memento.get<unknown>(ENTERED_NAMESPACES_KEY);
    const all = typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {};
    all[key] = names;
    await this.memento.update(ENTERED_NAMESPACES_KEY, all);
  }

  /** Keys of the contexts a client has been made for this session (what the user has connected to). */
  connectedKeys(): string[] {
    return [...this.clients.keys()];
  }

  /** The running demo cluster, started on first use. */
  demoCluster(): Promise<DemoCluster> {
    if (!this.demo) {
      const pods = getSetting('demoCluster.extraPods');
      this.demo = startDemoCluster({ pods }).then(
        (demo) => {
          this.log.info(`demo cluster listening on ${demo.url} (${pods} extra pods)`);
          return demo;
        },
        (err: unknown) => {
          this.demo = undefined;
          throw err;
        },
      );
    }
    return this.demo;
  }

  get demoRunning(): boolean {
    return this.demo !== undefined;
  }

  protected override onDispose(): void {
    this.clients.clear();
    void this.demo?.then((d) => d.stop()).catch(() => undefined);
    this.demo = undefined;
  }
}
