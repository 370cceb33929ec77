import type * as vscode from 'vscode';
import { scenarioIncludeReader } from '../plugins/credentialProviderConfigFiles';
import type { IncludeReader } from '../sim/section';

/**
 * How a scenario document reads the files it names (credentialProvider.configFile): next to it on
 * disk. An untitled or remote document has no folder of its own, so such a reference is reported
 * as unreadable there.
 */
export function includesOf(doc: vscode.TextDocument): IncludeReader | undefined {
  return doc.uri.scheme === 'file' ? scenarioIncludeReader(doc.uri.fsPath) : undefined;
}
