/**
 * Our commands on pods of the Kubernetes extension's Cluster Explorer (contributed to its tree through
 * package.json menus): "Inspect Tokens" reveals the pod in our Cluster view, "Simulate Refresh" runs our
 * pod simulation. The clicked node is resolved through that extension's public API
 * (kubernetesExtension.ts); without the extension these commands are simply never offered.
 */
import * as vscode from 'vscode';
import { DEMO_CONTEXT } from '../cluster/demo';
import { registerCommands } from './registerCommand';
import type { ClusterNode, ClusterTreeProvider, ContextRef } from './clusterTree';
import type { KubernetesExtensionAdapter, KubernetesPodTarget } from './kubernetesExtension';
import type { SimulationService } from './simulationService';

type PodNode = Extract<ClusterNode, { kind: 'pod' }>;

interface Deps {
  adapter: KubernetesExtensionAdapter;
  tree: ClusterTreeProvider;
  view: vscode.TreeView<ClusterNode>;
  simulations: SimulationService;
  log: vscode.LogOutputChannel;
}

/** The context the explorer showed the pod under (by kubeconfig context name), else our current one. */
function contextFor(tree: ClusterTreeProvider, target: KubernetesPodTarget): ContextRef {
  const contexts = tree.contexts();
  if (target.context !== undefined) {
    const named = contexts.find((c) => c.summary?.name === target.context || (c.demo && target.context === DEMO_CONTEXT));
    if (!named) throw new Error(`the Kubernetes extension shows pod ${target.namespace}/${target.name} under context “${target.context}”, which is not in the kubeconfig Kube Token Lens reads`);
    return named;
  }
  const current = contexts.find((c) => c.current);
  if (!current) throw new Error('the kubeconfig has no current context: select one in the Kubernetes extension or the kubeconfig');
  return current;
}

/** The pod's node in our Cluster view (fetched through the tree, so that reveal knows its parents). */
async function findPodNode(tree: ClusterTreeProvider, ctx: ContextRef, target: KubernetesPodTarget): Promise<PodNode> {
  const ctxNode = (await tree.getChildren()).find((n) => n.kind === 'context' && n.ctx.key === ctx.key);
  if (!ctxNode) throw new Error(`context ${ctx.label} is not in the Cluster view`);
  const nsNode = (await tree.getChildren(ctxNode)).find((n) => n.kind === 'namespace' && n.namespace === target.namespace);
  if (!nsNode) throw new Error(`namespace ${target.namespace} is not listed under ${ctx.label} in the Cluster view`);
  for (;;) {
    const children = await tree.getChildren(nsNode);
    const pod = children.find((n): n is PodNode => n.kind === 'pod' && n.pod.name === target.name);
    if (pod) return pod;
    const more = children.find((n) => n.kind === 'loadMore');
    if (!more) throw new Error(`pod ${target.namespace}/${target.name} was not found in ${ctx.label}`);
    await tree.loadMorePods(ctx, target.namespace);
  }
}

export function registerKubernetesExtensionCommands(deps: Deps): vscode.Disposable[] {
  const resolve = async (target: unknown): Promise<PodNode> => {
    const pod = await deps.adapter.podTarget(target);
    if (!pod) throw new Error('this command works on a pod in the Kubernetes extension’s Cluster Explorer');
    return findPodNode(deps.tree, contextFor(deps.tree, pod), pod);
  };
  return registerCommands(deps.log, {
    'kubeTokenLens.k8s.inspectTokens': async (target: unknown) => {
      const node = await resolve(target);
      await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
      await deps.view.reveal(node, { expand: true, select: true, focus: true });
    },
    'kubeTokenLens.k8s.simulateRefresh': async (target: unknown) => {
      const node = await resolve(target);
      await deps.simulations.simulatePod(node.ctx, node.pod);
    },
  });
}
