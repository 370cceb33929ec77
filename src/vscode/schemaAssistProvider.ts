/**
 * Schema completion and hover in VS Code for the documents this extension knows by content, whatever
 * their file name: kubelet CredentialProviderConfig files (by `kind`) and scenario files. The work is
 * done by schemaAssist/ (pure); this module picks the schema for a document and converts the results.
 */
import * as vscode from 'vscode';
import type { JsonObject } from '../sim/fieldRule';
import { credentialProviderConfigSchema } from '../sim/credentialProvider/configSchema';
import { looksLikeCredentialProviderConfigText } from '../sim/credentialProvider/configDecode';
import { scenarioSchema } from '../sim/scenario/schema';
import { completionsAt } from './schemaAssist/completions';
import { hoverAt } from './schemaAssist/hover';
import type { TextFlavor } from './schemaAssist/yamlPath';
import { looksLikeScenario } from './scenarioDocuments';

const LANGUAGES = ['yaml', 'json', 'jsonc'];

interface SchemaChoice {
  name: string;
  matches(doc: vscode.TextDocument): boolean;
  schema: JsonObject;
}

/**
 * Scenario files named *.scenario.json / *.scenario.yaml already get this schema from the manifest's
 * jsonValidation (VS Code's JSON support, always there) and yamlValidation (when the YAML extension
 * is installed): answering too would list every item twice.
 */
function servedByManifest(doc: vscode.TextDocument): boolean {
  if (/\.scenario\.json$/i.test(doc.fileName)) return true;
  return /\.scenario\.ya?ml$/i.test(doc.fileName) && vscode.extensions.getExtension('redhat.vscode-yaml') !== undefined;
}

export class SchemaAssistProvider implements vscode.CompletionItemProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly choices: SchemaChoice[] = [
    { name: 'CredentialProviderConfig', matches: (d) => looksLikeCredentialProviderConfigText(d.getText()), schema: credentialProviderConfigSchema() },
    { name: 'scenario', matches: (d) => looksLikeScenario(d) && !servedByManifest(d), schema: scenarioSchema() },
  ];
  private readonly registrations: vscode.Disposable[];

  constructor() {
    const selector: vscode.DocumentSelector = LANGUAGES.map((language) => ({ language }));
    this.registrations = [
      // `:` opens the value list, `"` a JSON key or value; words trigger on their own.
      vscode.languages.registerCompletionItemProvider(selector, this, ':', '"'),
      vscode.languages.registerHoverProvider(selector, this),
    ];
  }

  private schemaFor(doc: vscode.TextDocument): JsonObject | undefined {
    if (!LANGUAGES.includes(doc.languageId)) return undefined;
    return this.choices.find((c) => c.matches(doc))?.schema;
  }

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const schema = this.schemaFor(doc);
    if (schema === undefined) return [];
    const flavor: TextFlavor = doc.languageId === 'yaml' ? 'yaml' : 'json';
    return completionsAt(schema, doc.getText(), doc.offsetAt(position), flavor).map((c) => {
      const item = new vscode.CompletionItem(c.label, c.kind === 'property' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Value);
      item.insertText = new vscode.SnippetString(c.insertText);
      item.range = new vscode.Range(doc.positionAt(c.range.start), doc.positionAt(c.range.end));
      item.filterText = c.filterText;
      item.sortText = c.sortText;
      if (c.detail !== undefined) item.detail = c.detail;
      if (c.documentation !== undefined) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.retrigger) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const schema = this.schemaFor(doc);
    if (schema === undefined) return undefined;
    const hover = hoverAt(schema, doc.getText(), doc.offsetAt(position));
    if (hover === undefined) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(doc.positionAt(hover.range.start), doc.positionAt(hover.range.end)));
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}
