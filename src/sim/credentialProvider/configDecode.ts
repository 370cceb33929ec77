/**
 * One CredentialProviderConfig file's text → the decoded config and every decoding problem, each at
 * the node it is about (SPEC B.1). The kubelet converts YAML to JSON and decodes it strictly into the
 * Go types of the file's version: a wrong kind / group / version stops it, an unknown field (key
 * spelled otherwise, or a field the version does not have, such as `tokenAttributes` outside v1) and a
 * wrong JSON type are errors. Where the kubelet stops at its first type error we report every one.
 * `loadCredentialProviderConfig` reads a file or a directory's files (already in the kubelet's order),
 * merges them and validates the result (configValidation.ts). Pure: the caller reads the files.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { SourceText, type SourceRange, type Span } from '../units/sourcePosition';
import {
  CONFIG_GROUP,
  CONFIG_KIND,
  CONFIG_VERSIONS,
  PROVIDER_API_GROUP,
  REQUEST_KIND,
  RESPONSE_KIND,
  type ConfigVersion,
  type CredentialKubeletVersion,
  type CredentialProvider,
  type CredentialProviderConfig,
} from './config';
import {
  credentialProviderConfigWarnings,
  validateCredentialProviderConfig,
} from './configValidation';
import { defaultServiceAccountTokenGate } from './config';
import { parseGoDuration } from './goDuration';
import { goQuote } from '../units/goQuote';

/** A decoding problem; `at` is a span of the text. */
export interface DecodeProblem {
  severity: 'error' | 'warning';
  message: string;
  /** The Go-style field path without indexes ('providers.name'); '' for the whole file. */
  field: string;
  /** The precise path ('providers[2].name'); '' for the whole file. */
  path: string;
  at: Span;
}

/** Where each decoded node is written: by precise path, the key (when it has one) and the value. */
export interface NodeLocations {
  key(path: string): Span | undefined;
  value(path: string): Span | undefined;
  /** The nearest written node at or above `path` (its key for a missing child), or the document start. */
  nearest(path: string): Span;
}

export interface DecodedFile {
  /** Undefined when the file has decoding errors. */
  config: CredentialProviderConfig | undefined;
  problems: DecodeProblem[];
  where: NodeLocations;
  source: SourceText;
}

/** The scheme the kubelet decodes with is named after where it is declared; upstream adds a line number. */
const SCHEME_NAME = 'pkg/credentialprovider/plugin/plugin.go';

/** Go types of the v1alpha1 / v1beta1 / v1 API, as far as the JSON decoder's behaviour and messages need. */
type GoType =
  | { t: 'string'; go: string }
  | { t: 'bool' }
  | { t: 'duration' }
  | { t: 'slice'; go: string; elem: GoType }
  | { t: 'struct'; go: string; name: string; fields: Readonly<Record<string, GoType>> };

const STRING: GoType = { t: 'string', go: 'string' };
const STRINGS: GoType = { t: 'slice', go: '[]string', elem: STRING };

function configType(version: ConfigVersion, kubelet: CredentialKubeletVersion): GoType & { t: 'struct' } {
  const pkg = version;
  const tokenAttributes: GoType = {
    t: 'struct',
    go: `${pkg}.ServiceAccountTokenAttributes`,
    name: 'ServiceAccountTokenAttributes',
    fields: {
      serviceAccountTokenAudience: STRING,
      // 1.33's v1 API has no cacheType: there it is an unknown field.
      ...(kubelet === '1.33' ? {} : { cacheType: { t: 'string', go: `${pkg}.ServiceAccountTokenCacheType` } as GoType }),
      requireServiceAccount: { t: 'bool' },
      requiredServiceAccountAnnotationKeys: STRINGS,
      optionalServiceAccountAnnotationKeys: STRINGS,
    },
  };
  const envVar: GoType = { t: 'struct', go: `${pkg}.ExecEnvVar`, name: 'ExecEnvVar', fields: { name: STRING, value: STRING } };
  const provider: GoType = {
    t: 'struct',
    go: `${pkg}.CredentialProvider`,
    name: 'CredentialProvider',
    fields: {
      name: STRING,
      matchImages: STRINGS,
      defaultCacheDuration: { t: 'duration' },
      apiVersion: STRING,
      args: STRINGS,
      env: { t: 'slice', go: `[]${pkg}.ExecEnvVar`, elem: envVar },
      // SPEC B.1: tokenAttributes exists only in kubelet.config.k8s.io/v1.
      ...(version === 'v1' ? { tokenAttributes } : {}),
    },
  };
  return {
    t: 'struct',
    go: `${pkg}.CredentialProviderConfig`,
    name: 'CredentialProviderConfig',
    fields: { kind: STRING, apiVersion: STRING, providers: { t: 'slice', go: `[]${pkg}.CredentialProvider`, elem: provider } },
  };
}

type JsonKind = 'object' | 'array' | 'string' | 'number' | 'bool' | 'null';

/** A document node after YAML → JSON: what the Go decoder sees, with where it is written. */
interface Walked {
  kind: JsonKind;
  node: Node | null;
  span: Span;
}

class Locations implements NodeLocations {
  readonly keys = new Map<string, Span>();
  readonly values = new Map<string, Span>();
  constructor(private readonly docStart: Span) {}
  key(path: string): Span | undefined {
    return this.keys.get(path);
  }
  value(path: string): Span | undefined {
    return this.values.get(path);
  }
  nearest(path: string): Span {
    const exact = this.values.get(path) ?? this.keys.get(path);
    if (exact !== undefined) return exact;
    // A missing child is pointed at by its parent's key ("tokenAttributes:"), not the parent's contents.
    let p = path;
    for (;;) {
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) return this.docStart;
      p = p.slice(0, cut);
      const found = this.keys.get(p) ?? this.values.get(p);
      if (found !== undefined) return found;
    }
  }
}

/**
 * Decodes one file. `isJson` selects the kubelet's JSON decoder (the text starts with '{'), which
 * words duplicate keys differently from the YAML one.
 */
export function decodeCredentialProviderConfigText(text: string, kubelet: CredentialKubeletVersion): DecodedFile {
  const source = new SourceText(text);
  const problems: DecodeProblem[] = [];
  const isJson = /^\s*\{/.test(text);
  const docs = parseAllDocuments(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
  const first: Document | undefined = Array.isArray(docs) ? docs[0] : undefined;
  const where = new Locations(first?.contents?.range ? source.firstLineOf({ start: first.contents.range[0], end: first.contents.range[1] }) : { start: 0, end: 0 });
  const result = (config: CredentialProviderConfig | undefined): DecodedFile => ({ config: problems.some((p) => p.severity === 'error') ? undefined : config, problems, where, source });

  if (first !== undefined && first.errors.length > 0) {
    const syntax = isJson ? 'JSON syntax' : 'YAML syntax';
    for (const e of first.errors) problems.push({ severity: 'error', message: `${syntax}: ${e.message}`, field: '', path: '', at: { start: e.pos[0], end: e.pos[1] } });
    return result(undefined);
  }
  if (Array.isArray(docs) && docs.length > 1) {
    const extra = docs[1];
    const start = extra?.range[0] ?? text.length;
    problems.push({
      severity: 'warning',
      message: `the kubelet reads only the first YAML document of a file: the ${docs.length - 1} document${docs.length > 2 ? 's' : ''} after it ${docs.length > 2 ? 'are' : 'is'} ignored`,
      field: '',
      path: '',
      at: source.firstLineOf({ start, end: text.length }),
    });
  }

  const doc = first;
  const root = walk(doc, doc?.contents ?? null, { start: 0, end: 0 });
  const decoder = new Decoder(doc, source, problems, where, isJson);

  // The kubelet reads apiVersion and kind first (runtime SimpleMetaFactory.Interpret).
  const gvk = decoder.typeMeta(root);
  if (gvk === undefined) return result(undefined);
  const decoded = decoder.value(root, configType(gvk.version, kubelet), { path: '', goPath: [], struct: '' });
  if (typeof decoded !== 'object' || decoded === null) return result(undefined);
  const top = decoded as Record<string, unknown>;
  const providers = Array.isArray(top.providers) ? (top.providers as Record<string, unknown>[]) : [];
  const config: CredentialProviderConfig = {
    apiVersion: `${CONFIG_GROUP}/${gvk.version}`,
    kind: CONFIG_KIND,
    providers: providers.map(toProvider),
  };
  return result(config);
}

function toProvider(raw: Record<string, unknown>): CredentialProvider {
  const p: CredentialProvider = {
    name: typeof raw.name === 'string' ? raw.name : '',
    matchImages: Array.isArray(raw.matchImages) ? (raw.matchImages as string[]) : [],
    apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
  };
  if (typeof raw.defaultCacheDuration === 'bigint') p.defaultCacheDuration = raw.defaultCacheDuration;
  if (Array.isArray(raw.args)) p.args = raw.args as string[];
  if (Array.isArray(raw.env)) p.env = (raw.env as Record<string, unknown>[]).map((e) => ({ name: str(e.name), value: str(e.value) }));
  const ta = raw.tokenAttributes;
  if (typeof ta === 'object' && ta !== null) {
    const t = ta as Record<string, unknown>;
    p.tokenAttributes = { serviceAccountTokenAudience: str(t.serviceAccountTokenAudience) };
    if (typeof t.cacheType === 'string') p.tokenAttributes.cacheType = t.cacheType;
    if (typeof t.requireServiceAccount === 'boolean') p.tokenAttributes.requireServiceAccount = t.requireServiceAccount;
    if (Array.isArray(t.requiredServiceAccountAnnotationKeys)) p.tokenAttributes.requiredServiceAccountAnnotationKeys = t.requiredServiceAccountAnnotationKeys as string[];
    if (Array.isArray(t.optionalServiceAccountAnnotationKeys)) p.tokenAttributes.optionalServiceAccountAnnotationKeys = t.optionalServiceAccountAnnotationKeys as string[];
  }
  return p;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function spanOf(node: Node | null | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
}

function walk(doc: Document | undefined, nodeIn: Node | null, fallback: Span): Walked {
  let node = nodeIn;
  // An alias stands for its anchor's node (YAML → JSON copies it).
  for (let hops = 0; node !== null && isAlias(node) && hops < 100; hops++) node = (doc !== undefined ? (node.resolve(doc) as Node | undefined) : undefined) ?? null;
  const span = spanOf(nodeIn, fallback);
  if (node === null) return { kind: 'null', node, span };
  if (isMap(node)) return { kind: 'object', node, span };
  if (isSeq(node)) return { kind: 'array', node, span };
  if (isScalar(node)) {
    const v = node.value;
    const kind: JsonKind = v === null || v === undefined ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' || typeof v === 'bigint' ? 'number' : 'string';
    return { kind, node, span };
  }
  return { kind: 'null', node: null, span };
}

interface Context {
  /** Precise path of this value ('providers[0].env[1]'). */
  path: string;
  /** encoding/json's field stack: names only, no indexes. */
  goPath: string[];
  /** The innermost Go struct being decoded (its type name, no package), for "Go struct field X.path". */
  struct: string;
}

interface Entry {
  key: string;
  keySpan: Span;
  value: Walked;
}

class Decoder {
  constructor(
    private readonly doc: Document | undefined,
    private readonly source: SourceText,
    private readonly problems: DecodeProblem[],
    private readonly where: Locations,
    private readonly isJson: boolean,
  ) {}

  private error(message: string, field: string, path: string, at: Span): void {
    this.problems.push({ severity: 'error', message, field, path, at });
  }

  /** A value as a diagnostic points at it: a whole collection only by its first line. */
  private pointAt(w: Walked): Span {
    return w.kind === 'object' || w.kind === 'array' ? this.source.firstLineOf(w.span) : w.span;
  }

  /** The mapping's entries with YAML keys made JSON strings; later duplicates win, as in Go. */
  private entries(w: Walked, ctx: Context): Map<string, Entry> {
    const out = new Map<string, Entry>();
    if (w.node === null || !isMap(w.node)) return out;
    for (const pair of w.node.items) {
      const keyNode = pair.key as Node | null;
      const keySpan = spanOf(keyNode, w.span);
      let key: string;
      if (keyNode === null) key = '';
      else if (isScalar(keyNode)) key = keyNode.value === null || keyNode.value === undefined ? 'null' : String(keyNode.value);
      else {
        this.error('error converting YAML to JSON: a map key must be a string, number or boolean, not a list or map', join(ctx.goPath), ctx.path, this.source.firstLineOf(keySpan));
        continue;
      }
      const value = walk(this.doc, pair.value as Node | null, keySpan);
      const childPath = ctx.path === '' ? key : `${ctx.path}.${key}`;
      if (out.has(key)) {
        const line = this.source.positionOf(keySpan.start).line;
        const message = this.isJson ? `strict decoding error: duplicate field ${goQuote(childPath)}` : `strict decoding error: yaml: unmarshal errors:\n  line ${line}: key ${goQuote(key)} already set in map`;
        this.error(message, join([...ctx.goPath, key]), childPath, keySpan);
      }
      out.set(key, { key, keySpan, value });
    }
    return out;
  }

  /** apiVersion and kind, checked as the kubelet's universal decoder does; undefined after an error. */
  typeMeta(root: Walked): { version: ConfigVersion } | undefined {
    const docStart = this.where.nearest('');
    if (root.kind !== 'object' && root.kind !== 'null') {
      this.error(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${root.kind} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
        '',
        '',
        this.pointAt(root),
      );
      return undefined;
    }
    const entries = this.entries(root, { path: '', goPath: [], struct: '' });
    let failed = false;
    const read = (name: 'apiVersion' | 'kind'): { text: string; at: Span } => {
      const e = entries.get(name);
      if (e === undefined) return { text: '', at: docStart };
      this.where.keys.set(name, e.keySpan);
      this.where.values.set(name, e.value.span);
      if (e.value.kind === 'null') return { text: '', at: e.keySpan };
      if (e.value.kind !== 'string') {
        this.error(`couldn't get version/kind; json parse error: json: cannot unmarshal ${e.value.kind} into Go struct field .${name} of type string`, name, name, this.pointAt(e.value));
        failed = true;
        return { text: '', at: e.value.span };
      }
      return { text: String((e.value.node as { value: unknown }).value), at: e.value.span };
    };
    const apiVersion = read('apiVersion');
    const kind = read('kind');
    if (failed) return undefined;
    const gv = parseGroupVersion(apiVersion.text);
    if (gv === undefined) {
      this.error(`unexpected GroupVersion string: ${apiVersion.text}`, 'apiVersion', 'apiVersion', apiVersion.at);
      return undefined;
    }
    if (kind.text === '') {
      // Upstream quotes the whole file here; we leave it out (it is long and may hold env values).
      this.error(`Object 'Kind' is missing in '<file content>'`, 'kind', 'kind', kind.at);
      return undefined;
    }
    if (gv.version === '') {
      this.error(`Object 'apiVersion' is missing in '<file content>'`, 'apiVersion', 'apiVersion', apiVersion.at);
      return undefined;
    }
    const gvText = gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
    const isConfigVersion = gv.group === CONFIG_GROUP && (CONFIG_VERSIONS as readonly string[]).includes(gv.version);
    if (isConfigVersion && kind.text === CONFIG_KIND) return { version: gv.version as ConfigVersion };
    // Other kinds the kubelet's decoder knows decode, then are refused for their kind.
    const otherKnown =
      (gv.group === CONFIG_GROUP && gv.version === 'v1beta1' && (kind.text === 'KubeletConfiguration' || kind.text === 'SerializedNodeConfigSource')) ||
      (gv.group === PROVIDER_API_GROUP && ['v1alpha1', 'v1beta1', 'v1'].includes(gv.version) && (kind.text === REQUEST_KIND || kind.text === RESPONSE_KIND));
    if (otherKnown) this.error(`failed to decode ${goQuote(kind.text)} (wrong Kind)`, 'kind', 'kind', kind.at);
    else {
      const at = isConfigVersion || gv.group === CONFIG_GROUP ? (isConfigVersion ? kind.at : apiVersion.at) : apiVersion.at;
      this.error(`no kind ${goQuote(kind.text)} is registered for version ${goQuote(gvText)} in scheme ${goQuote(SCHEME_NAME)}`, isConfigVersion ? 'kind' : 'apiVersion', isConfigVersion ? 'kind' : 'apiVersion', at);
    }
    return undefined;
  }

  /** encoding/json into `type`, strict: returns the Go value (bigint ns for durations) or undefined. */
  value(w: Walked, type: GoType, ctx: Context): unknown {
    this.where.values.set(ctx.path, w.span);
    if (w.kind === 'null') return undefined; // null leaves Go's zero value (nil pointer, nil slice, "")
    const mismatch = (goType: string): undefined => {
      const field = join(ctx.goPath);
      const into = ctx.struct === '' && field === '' ? `Go value of type ${goType}` : `Go struct field ${ctx.struct}.${field} of type ${goType}`;
      this.error(`json: cannot unmarshal ${w.kind} into ${into}`, field, ctx.path, this.pointAt(w));
      return undefined;
    };
    switch (type.t) {
      case 'string':
        return w.kind === 'string' ? String((w.node as { value: unknown }).value) : mismatch(type.go);
      case 'bool':
        return w.kind === 'bool' ? (w.node as { value: unknown }).value === true : mismatch('bool');
      case 'duration': {
        // metav1.Duration reads a JSON string with time.ParseDuration; anything else is "not a string".
        if (w.kind !== 'string') return mismatch('string');
        const parsed = parseGoDuration(String((w.node as { value: unknown }).value));
        if (!parsed.ok) {
          this.error(parsed.error, join(ctx.goPath), ctx.path, w.span);
          return undefined;
        }
        return parsed.ns;
      }
      case 'slice': {
        if (w.kind !== 'array' || w.node === null || !isSeq(w.node)) return mismatch(type.go);
        return w.node.items.map((item, i) => {
          const elem = walk(this.doc, item as Node | null, w.span);
          const decoded = this.value(elem, type.elem, { ...ctx, path: `${ctx.path}[${i}]` });
          return decoded ?? zeroOf(type.elem);
        });
      }
      case 'struct': {
        if (w.kind !== 'object') return mismatch(type.go);
        const out: Record<string, unknown> = {};
        for (const e of this.entries(w, ctx).values()) {
          const childPath = ctx.path === '' ? e.key : `${ctx.path}.${e.key}`;
          this.where.keys.set(childPath, e.keySpan);
          const fieldType = Object.prototype.hasOwnProperty.call(type.fields, e.key) ? type.fields[e.key] : undefined;
          if (fieldType === undefined) {
            // SPEC B.1: strict decoding; the path keeps indexes, as upstream prints it.
            this.error(`strict decoding error: unknown field ${goQuote(childPath)}`, join([...ctx.goPath, e.key]), childPath, e.keySpan);
            continue;
          }
          const decoded = this.value(e.value, fieldType, { path: childPath, goPath: [...ctx.goPath, e.key], struct: type.name });
          if (decoded !== undefined) out[e.key] = decoded;
        }
        return out;
      }
    }
  }
}

function zeroOf(type: GoType): unknown {
  return type.t === 'string' ? '' : type.t === 'struct' ? {} : undefined;
}

function join(goPath: readonly string[]): string {
  return goPath.join('.');
}

/** schema.ParseGroupVersion; undefined for more than one '/'. */
function parseGroupVersion(text: string): { group: string; version: string } | undefined {
  if (text === '' || text === '/') return { group: '', version: '' };
  const slashes = text.split('/').length - 1;
  if (slashes === 0) return { group: '', version: text };
  if (slashes === 1) {
    const i = text.indexOf('/');
    return { group: text.slice(0, i), version: text.slice(i + 1) };
  }
  return undefined;
}

/** Cheap test for "is this text a CredentialProviderConfig": a top-level `kind:` of that value. */
export function looksLikeCredentialProviderConfigText(text: string): boolean {
  return (
    /^kind[ \t]*:[ \t]*(["']?)CredentialProviderConfig\1[ \t]*(#.*)?$/m.test(text) ||
    (/^\s*\{/.test(text) && /"kind"\s*:\s*"CredentialProviderConfig"/.test(text))
  );
}

export interface ConfigSource {
  path: string;
  text: string;
}

export interface ConfigFinding {
  severity: 'error' | 'warning';
  /** The kubelet's text for errors; plain-language advice for warnings. */
  message: string;
  /** The kubelet's field path ('providers.name'), '' for the whole file. */
  field: string;
  /** Precise path inside `file` ('providers[2].matchImages[0]'; indexes count within the file), '' for the whole file. */
  path: string;
  /** ConfigSource.path. */
  file: string;
  range: SourceRange;
}

export interface ConfigLoadOptions {
  kubeletVersion: CredentialKubeletVersion;
  /** KubeletServiceAccountTokenForCredentialProviders; defaults to the version's default. */
  serviceAccountTokenGate?: boolean;
  /** The sources are a directory's files (SPEC B.1), so none at all is an error. */
  directory?: boolean;
}

export interface LoadedConfig {
  /** Undefined when any file failed to decode. */
  config: CredentialProviderConfig | undefined;
  /** Decoding and validation, sorted by file order, then position. */
  findings: ConfigFinding[];
  /** No error findings. */
  valid: boolean;
  /** Per config.providers[i]: where it is written. */
  providerSources: { file: string; range: SourceRange }[];
}

/**
 * SPEC B.1 + B.2: decode every source, concatenate their providers in order, then validate. From 1.34
 * the kubelet reads every config (one file too) through the directory merge, which refuses a provider
 * name seen before; 1.33 reads one file and leaves duplicates to validation.
 */
export function loadCredentialProviderConfig(sources: readonly ConfigSource[], options: ConfigLoadOptions): LoadedConfig {
  const version = options.kubeletVersion;
  const gate = options.serviceAccountTokenGate ?? defaultServiceAccountTokenGate(version);
  const findings: ConfigFinding[] = [];
  const order = new Map<string, number>();
  sources.forEach((s, i) => order.set(s.path, i));

  if (sources.length === 0) {
    const message = options.directory === true ? 'no configuration files found in directory' : 'no configuration file given';
    return { config: undefined, findings: [{ severity: 'error', message, field: '', path: '', file: '', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } }], valid: false, providerSources: [] };
  }

  const decoded = sources.map((s) => ({ source: s, file: decodeCredentialProviderConfigText(s.text, version) }));
  for (const { source, file } of decoded) {
    for (const p of file.problems) {
      findings.push({ severity: p.severity, message: p.message, field: p.field, path: p.path, file: source.path, range: file.source.rangeOf(p.at) });
    }
  }
  const failed = decoded.some((d) => d.file.config === undefined);

  // Merge, remembering where each provider is written.
  const providers: CredentialProvider[] = [];
  const owners: { file: string; local: number; decoded: DecodedFile }[] = [];
  for (const { source, file } of decoded) {
    file.config?.providers.forEach((p, local) => {
      providers.push(p);
      owners.push({ file: source.path, local, decoded: file });
    });
  }
  const providerSources = owners.map((o) => ({ file: o.file, range: o.decoded.source.rangeOf(o.decoded.where.nearest(`providers[${o.local}]`)) }));
  const firstConfig = decoded.find((d) => d.file.config !== undefined)?.file.config;
  const merged: CredentialProviderConfig | undefined = failed || firstConfig === undefined ? undefined : { ...firstConfig, providers };

  const locate = (index: number | undefined, subPath: string): { file: string; path: string; range: SourceRange } => {
    const owner = index === undefined ? undefined : owners[index];
    if (owner === undefined) {
      const d = decoded[0];
      const path = subPath === '' ? 'providers' : subPath;
      return { file: d?.source.path ?? '', path, range: d === undefined ? { line: 1, column: 1, endLine: 1, endColumn: 1 } : d.file.source.rangeOf(d.file.where.nearest(path)) };
    }
    const path = subPath === '' ? `providers[${owner.local}]` : `providers[${owner.local}].${subPath}`;
    const span = owner.decoded.where.nearest(path);
    return { file: owner.file, path, range: owner.decoded.source.rangeOf(owner.decoded.source.firstLineOf(span)) };
  };

  if (merged !== undefined) {
    // SPEC B.1 (1.34+): the merge refuses a provider name it has seen, before validation runs.
    const mergeRefusesDuplicates = version !== '1.33';
    if (mergeRefusesDuplicates) {
      const seen = new Set<string>();
      merged.providers.forEach((p, i) => {
        if (seen.has(p.name)) {
          findings.push({ severity: 'error', message: `duplicate provider name ${goQuote(p.name)} found in configuration file(s)`, field: 'providers.name', ...locate(i, 'name') });
        }
        seen.add(p.name);
      });
    }
    for (const e of validateCredentialProviderConfig(merged, gate, version)) {
      if (mergeRefusesDuplicates && e.field === 'providers.name' && e.message.startsWith('providers.name: Duplicate value:')) continue; // reported by the merge
      findings.push({ severity: 'error', message: e.message, field: e.field, ...locate(e.index, e.subPath) });
    }
    for (const w of credentialProviderConfigWarnings(merged, gate)) {
      findings.push({ severity: 'warning', message: w.message, field: fieldOf(w.subPath), ...locate(w.index, w.subPath) });
    }
  }

  findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.range.line - b.range.line || a.range.column - b.range.column);
  return { config: merged, findings, valid: !findings.some((f) => f.severity === 'error'), providerSources };
}

/** 'matchImages[0]' → 'providers.matchImages'. */
function fieldOf(subPath: string): string {
  return `providers.${subPath.replace(/\[\d+\]/g, '')}`;
}
