import * as vscode from 'vscode';

/**
 * Tree rows carry a `ktl-health:` resourceUri so that the health FileDecorationProvider can badge
 * them (tree items get decorations only through a resourceUri). The URI names the row, never a token.
 */
export const HEALTH_SCHEME = 'ktl-health';

export type HealthTarget =
  | { level: 'context'; ctxKey: string }
  | { level: 'namespace'; ctxKey: string; namespace: string }
  | { level: 'pod'; ctxKey: string; namespace: string; pod: string };

export function healthUri(target: HealthTarget): vscode.Uri {
  const parts = target.level === 'context' ? [target.ctxKey] : target.level === 'namespace' ? [target.ctxKey, target.namespace] : [target.ctxKey, target.namespace, target.pod];
  return vscode.Uri.from({ scheme: HEALTH_SCHEME, path: `/${target.level}/${parts.map(encodeURIComponent).join('/')}` });
}

/** The row a health URI names; undefined for any other URI (or a malformed one). */
export function parseHealthUri(uri: vscode.Uri): HealthTarget | undefined {
  if (uri.scheme !== HEALTH_SCHEME) return undefined;
  const [level, ...raw] = uri.path.split('/').slice(1);
  let parts: string[];
  try {
    parts = raw.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [ctxKey, namespace, pod] = parts;
  if (level === 'context' && parts.length === 1 && ctxKey) return { level, ctxKey };
  if (level === 'namespace' && parts.length === 2 && ctxKey && namespace) return { level, ctxKey, namespace };
  if (level === 'pod' && parts.length === 3 && ctxKey && namespace && pod) return { level, ctxKey, namespace, pod };
  return undefined;
}
