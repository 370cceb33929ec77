/**
 * The merge kubectl applies when KUBECONFIG lists several files (client-go clientcmd loader): for the
 * named lists (users, clusters, contexts) the first file that defines a name wins, whole: the entry of a
 * later file with the same name is dropped, even its fields the first one lacks. For current-context the
 * first file that sets a non-empty one wins. Files are given in KUBECONFIG order (client-go skips missing
 * files: the caller does); a path listed twice is read once, as client-go deduplicates the list.
 */
import type { KubeconfigCluster, KubeconfigContext, KubeconfigDocument, KubeconfigUser, Located } from './kubeconfigDocument';

export interface FromFile<T> {
  file: string;
  entry: T;
}

/** A later definition of a name kubectl ignores, and the file whose definition it uses instead. */
export interface Shadowed<T> {
  file: string;
  entry: T;
  winnerFile: string;
}

export interface MergedList<T> {
  /** By name, the definition kubectl uses. */
  byName: Map<string, FromFile<T>>;
  shadowed: Shadowed<T>[];
}

export interface MergedKubeconfig {
  files: string[];
  users: MergedList<KubeconfigUser>;
  contexts: MergedList<KubeconfigContext>;
  clusters: MergedList<KubeconfigCluster>;
  currentContext?: FromFile<Located<string>>;
}

export function mergeKubeconfigs(listed: readonly KubeconfigDocument[]): MergedKubeconfig {
  const docs = listed.filter((d, i) => listed.findIndex((o) => o.file === d.file) === i);
  const merged: MergedKubeconfig = {
    files: docs.map((d) => d.file),
    users: mergeNamed(docs, (d) => d.users),
    contexts: mergeNamed(docs, (d) => d.contexts),
    clusters: mergeNamed(docs, (d) => d.clusters),
  };
  const withCurrent = docs.find((d) => d.currentContext !== undefined);
  if (withCurrent?.currentContext) merged.currentContext = { file: withCurrent.file, entry: withCurrent.currentContext };
  return merged;
}

function mergeNamed<T extends { name: string }>(docs: readonly KubeconfigDocument[], list: (d: KubeconfigDocument) => readonly T[]): MergedList<T> {
  const byName = new Map<string, FromFile<T>>();
  const shadowed: Shadowed<T>[] = [];
  for (const doc of docs) {
    for (const entry of list(doc)) {
      const winner = byName.get(entry.name);
      if (winner) shadowed.push({ file: doc.file, entry, winnerFile: winner.file });
      else byName.set(entry.name, { file: doc.file, entry });
    }
  }
  return { byName, shadowed };
}
