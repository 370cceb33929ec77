/**
 * One kubeconfig file's text → its users, contexts and clusters, each field with the range it is written
 * at, plus the structural problems that make kubectl refuse the file (a YAML error, a list that is not a
 * list, a duplicate name, a number where Go expects a string). Pure: the caller reads the file.
 *
 * Credential values (tokens, keys, passwords, exec args and env values) are never kept: only whether
 * they are set and where, so nothing downstream can leak them.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { KubeconfigFinding } from './kubeconfigFinding';
import { SourceText, type SourceRange, type Span } from '../units/sourcePosition';

export interface Located<T> {
  value: T;
  range: SourceRange;
}

/** A field that is set, with where; its value is deliberately not kept. */
export interface Present {
  range: SourceRange;
}

export interface ExecEnvEntry {
  range: SourceRange;
  /** Absent when the entry has no usable name (reported as a problem). */
  name?: Located<string>;
}

/** A user's `exec` block as written (positions; argument and env values are never kept). */
export interface ExecBlock {
  /** The `exec` key: where to point at the block as a whole. */
  range: SourceRange;
  apiVersion?: Located<string>;
  command?: Located<string>;
  /** How many arguments (their values may be secrets). */
  argCount: number;
  env: ExecEnvEntry[];
  provideClusterInfo?: Located<boolean>;
  interactiveMode?: Located<string>;
  installHint?: Located<string>;
}

export interface KubeconfigUser {
  name: string;
  /** The name's value in `- name: x`. */
  nameRange: SourceRange;
  exec?: ExecBlock;
  authProvider?: { range: SourceRange; name?: Located<string> };
  token?: Present;
  tokenFile?: Present;
  clientCertificate?: Present;
  basic?: Present;
}

export interface KubeconfigContext {
  name: string;
  nameRange: SourceRange;
  cluster?: Located<string>;
  user?: Located<string>;
}

export interface KubeconfigCluster {
  name: string;
  nameRange: SourceRange;
}

export interface KubeconfigDocument {
  file: string;
  /** False when the YAML itself is broken: then nothing else is read and `problems` says why. */
  parsed: boolean;
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
  clusters: KubeconfigCluster[];
  currentContext?: Located<string>;
  /** Problems kubectl would reject the file for, found while reading it. */
  problems: KubeconfigFinding[];
  /** The file's extent, for checks that a range lies inside it. */
  lineCount: number;
}

export function parseKubeconfig(text: string, file: string): KubeconfigDocument {
  const source = new SourceText(text);
  const reader = new Reader(source, file);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const lineCount = source.positionOf(text.length).line;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      reader.problem({ start: e.pos[0], end: e.pos[1] }, 'yaml-syntax', `YAML syntax: ${e.message.split('\n')[0] ?? ''}`);
    }
    return { file, parsed: false, users: [], contexts: [], clusters: [], problems: reader.problems, lineCount };
  }
  const root = reader.deref(doc, doc.contents);
  const result: KubeconfigDocument = { file, parsed: true, users: [], contexts: [], clusters: [], problems: reader.problems, lineCount };
  // An empty file is a valid, empty kubeconfig (client-go loads it as such).
  if (root === null || (isScalar(root) && root.value === null)) return result;
  if (!isMap(root)) {
    reader.problem(spanOf(root), 'structure', 'a kubeconfig is a mapping (apiVersion, clusters, contexts, users, …)');
    return result;
  }
  result.users = reader.namedList(doc, root, 'users', 'user', (body, name, nameRange) => reader.user(doc, body, name, nameRange));
  result.contexts = reader.namedList(doc, root, 'contexts', 'context', (body, name, nameRange) => reader.context(doc, body, name, nameRange));
  result.clusters = reader.namedList(doc, root, 'clusters', 'cluster', (_body, name, nameRange) => ({ name, nameRange }));
  const current = reader.stringField(doc, root, 'current-context');
  if (current && current.value !== '') result.currentContext = current;
  return result;
}

function spanOf(node: YamlNode | Pair | null | undefined): Span {
  const r = node && 'range' in node ? node.range : undefined;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

class Reader {
  readonly problems: KubeconfigFinding[] = [];

  constructor(
    private readonly source: SourceText,
    private readonly file: string,
  ) {}

  range(span: Span): SourceRange {
    return this.source.rangeOf(this.source.firstLineOf(span));
  }

  problem(span: Span, code: KubeconfigFinding['code'], message: string, user?: string): void {
    const finding: KubeconfigFinding = { file: this.file, range: this.range(span), severity: 'error', code, message };
    if (user !== undefined) finding.user = user;
    this.problems.push(finding);
  }

  deref(doc: Document, node: unknown): YamlNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(doc) as YamlNode | undefined) ?? null;
    return node as YamlNode;
  }

  pair(map: YAMLMap, key: string): Pair | undefined {
    return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
  }

  /** The pair's value, or null when absent or written as null. */
  value(doc: Document, map: YAMLMap, key: string): { node: YamlNode; keySpan: Span } | undefined {
    const p = this.pair(map, key);
    if (!p) return undefined;
    const node = this.deref(doc, p.value);
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    return { node, keySpan: spanOf(p.key as YamlNode) };
  }

  /** A field Go decodes into a string: a number or boolean there makes kubectl fail to load the file. */
  stringField(doc: Document, map: YAMLMap, key: string, user?: string): Located<string> | undefined {
    const v = this.value(doc, map, key);
    if (!v) return undefined;
    if (isScalar(v.node) && typeof v.node.value === 'string') return { value: v.node.value, range: this.range(spanOf(v.node)) };
    this.problem(spanOf(v.node), 'structure', `${key} must be a string${isScalar(v.node) ? ' (put it in quotes)' : ''}`, user);
    return undefined;
  }

  /** Set-or-not for a credential field: the value itself is not read. */
  present(doc: Document, map: YAMLMap, key: string): Present | undefined {
    const v = this.value(doc, map, key);
    if (!v) return undefined;
    if (isScalar(v.node) && v.node.value === '') return undefined;
    return { range: this.range(v.keySpan) };
  }

  /**
   * `key: [{name: n, <bodyKey>: {...}}]`. A name seen twice in one file makes client-go refuse the whole
   * file (its list-to-map conversion rejects duplicates); the later entry is reported and skipped.
   */
  namedList<T>(
    doc: Document,
    root: YAMLMap,
    key: string,
    bodyKey: string,
    read: (body: YAMLMap | undefined, name: string, nameRange: SourceRange) => T,
  ): T[] {
    const v = this.value(doc, root, key);
    if (!v) return [];
    if (!isSeq(v.node)) {
      this.problem(spanOf(v.node), 'structure', `${key} must be a list of entries with a name and a ${bodyKey}`);
      return [];
    }
    const out: T[] = [];
    const seen = new Set<string>();
    for (const item of v.node.items) {
      const entry = this.deref(doc, item);
      if (!isMap(entry)) {
        this.problem(spanOf(entry), 'structure', `each entry of ${key} must be a mapping with a name and a ${bodyKey}`);
        continue;
      }
      const name = this.stringField(doc, entry, 'name');
      if (!name || name.value === '') {
        // A name that is not a string was reported by stringField already.
        if (name || !this.value(doc, entry, 'name')) this.problem(spanOf(entry), 'structure', `an entry of ${key} has no name`);
        continue;
      }
      if (seen.has(name.value)) {
        const p = this.pair(entry, 'name');
        this.problem(spanOf((p?.value as YamlNode | undefined) ?? entry), 'duplicate-name', `${bodyKey} "${name.value}" is defined twice in this file: kubectl refuses to load it`, bodyKey === 'user' ? name.value : undefined);
        continue;
      }
      seen.add(name.value);
      const body = this.value(doc, entry, bodyKey);
      if (body && !isMap(body.node)) {
        this.problem(spanOf(body.node), 'structure', `${bodyKey} of "${name.value}" must be a mapping`);
        continue;
      }
      out.push(read(body ? (body.node as YAMLMap) : undefined, name.value, name.range));
    }
    return out;
  }

  user(doc: Document, body: YAMLMap | undefined, name: string, nameRange: SourceRange): KubeconfigUser {
    const user: KubeconfigUser = { name, nameRange };
    if (!body) return user;
    const token = this.present(doc, body, 'token');
    if (token) user.token = token;
    const tokenFile = this.present(doc, body, 'tokenFile');
    if (tokenFile) user.tokenFile = tokenFile;
    const cert = this.present(doc, body, 'client-certificate-data') ?? this.present(doc, body, 'client-certificate');
    if (cert) user.clientCertificate = cert;
    const basic = this.present(doc, body, 'username') ?? this.present(doc, body, 'password');
    if (basic) user.basic = basic;
    const provider = this.value(doc, body, 'auth-provider');
    if (provider) {
      user.authProvider = { range: this.range(provider.keySpan) };
      if (isMap(provider.node)) {
        const providerName = this.stringField(doc, provider.node, 'name', name);
        if (providerName) user.authProvider.name = providerName;
      } else this.problem(spanOf(provider.node), 'structure', 'auth-provider must be a mapping', name);
    }
    const exec = this.value(doc, body, 'exec');
    if (exec) {
      if (isMap(exec.node)) user.exec = this.exec(doc, exec.node, exec.keySpan, name);
      else this.problem(spanOf(exec.node), 'structure', 'exec must be a mapping', name);
    }
    return user;
  }

  context(doc: Document, body: YAMLMap | undefined, name: string, nameRange: SourceRange): KubeconfigContext {
    const context: KubeconfigContext = { name, nameRange };
    if (!body) return context;
    const cluster = this.stringField(doc, body, 'cluster');
    if (cluster && cluster.value !== '') context.cluster = cluster;
    const user = this.stringField(doc, body, 'user');
    if (user && user.value !== '') context.user = user;
    return context;
  }

  exec(doc: Document, map: YAMLMap, keySpan: Span, user: string): ExecBlock {
    const exec: ExecBlock = { range: this.range(keySpan), argCount: 0, env: [] };
    const apiVersion = this.stringField(doc, map, 'apiVersion', user);
    if (apiVersion) exec.apiVersion = apiVersion;
    const command = this.stringField(doc, map, 'command', user);
    if (command) exec.command = command;
    const interactiveMode = this.stringField(doc, map, 'interactiveMode', user);
    if (interactiveMode) exec.interactiveMode = interactiveMode;
    const installHint = this.stringField(doc, map, 'installHint', user);
    if (installHint) exec.installHint = installHint;
    const provide = this.value(doc, map, 'provideClusterInfo');
    if (provide) {
      if (isScalar(provide.node) && typeof provide.node.value === 'boolean') {
        exec.provideClusterInfo = { value: provide.node.value, range: this.range(spanOf(provide.node)) };
      } else this.problem(spanOf(provide.node), 'structure', 'provideClusterInfo must be true or false', user);
    }
    const args = this.value(doc, map, 'args');
    if (args) {
      if (!isSeq(args.node)) {
        this.problem(spanOf(args.node), 'exec-args-malformed', 'exec args must be a list of strings', user);
      } else {
        exec.argCount = args.node.items.length;
        args.node.items.forEach((item, i) => {
          const node = this.deref(doc, item);
          // The argument's value may be a secret: say which one, never what it is.
          if (!(isScalar(node) && typeof node.value === 'string')) {
            this.problem(spanOf(node), 'exec-args-malformed', `exec argument ${i + 1} must be a string (put it in quotes)`, user);
          }
        });
      }
    }
    const env = this.value(doc, map, 'env');
    if (env) {
      if (!isSeq(env.node)) this.problem(spanOf(env.node), 'exec-env-malformed', 'exec env must be a list of name/value entries', user);
      else for (const item of env.node.items) exec.env.push(this.envEntry(doc, this.deref(doc, item), user));
    }
    return exec;
  }

  envEntry(doc: Document, node: YamlNode | null, user: string): ExecEnvEntry {
    const span = spanOf(node);
    const entry: ExecEnvEntry = { range: this.range(span) };
    if (!isMap(node)) {
      this.problem(span, 'exec-env-malformed', 'each exec env entry must be a mapping with name and value', user);
      return entry;
    }
    const name = this.stringField(doc, node, 'name', user);
    if (name && name.value !== '') entry.name = name;
    // client-go's own message for an entry without a name.
    else this.problem(span, 'exec-env-malformed', `env variable name must be specified for ${user} to use exec authentication plugin`, user);
    const value = this.value(doc, node, 'value');
    if (value && !(isScalar(value.node) && typeof value.node.value === 'string')) {
      const which = name ? ` of ${name.value}` : '';
      this.problem(spanOf(value.node), 'exec-env-malformed', `the env value${which} must be a string (put it in quotes)`, user);
    }
    return entry;
  }
}
