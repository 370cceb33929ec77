/**
 * The fields of an object's metadata and of a pod spec that decide its service-account tokens, checked
 * for the types the API server requires, each problem at its line:column. Only these fields are
 * checked: the rest of the manifest is the API server's business, and a tool that reads tokens should
 * not refuse a manifest for a typo in a port.
 */
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../sim/apiserver/tokenRequest';
import { parseDateTime } from '../sim/units/datetime';
import { formatFieldPath, type FieldPath, type JsonMap, type ManifestDocument, type ManifestProblem } from './manifestDocuments';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

const isMapping = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads typed fields of one document, recording a located problem for each one of the wrong type. */
export class FieldChecker {
  constructor(
    private readonly doc: ManifestDocument,
    readonly problems: ManifestProblem[],
  ) {}

  problem(path: FieldPath, message: string): void {
    this.problems.push({ message, path: formatFieldPath(path), range: this.doc.rangeAt(path) });
  }

  private wrong(path: FieldPath, expected: string, value: unknown): undefined {
    this.problem(path, `expected ${expected}, got ${describe(value)}`);
    return undefined;
  }

  private missing(path: FieldPath, what: string): undefined {
    this.problem(path, `${what} is required`);
    return undefined;
  }

  /** Absent or null: undefined, no problem (unless required). */
  map(value: unknown, path: FieldPath, required = false): JsonMap | undefined {
    if (value === undefined || value === null) return required ? this.missing(path, 'this mapping') : undefined;
    return isMapping(value) ? value : this.wrong(path, 'a mapping', value);
  }

  list(value: unknown, path: FieldPath): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value : this.wrong(path, 'a list', value);
  }

  string(value: unknown, path: FieldPath, required = false): string | undefined {
    if (value === undefined || value === null) return required ? this.missing(path, 'this field') : undefined;
    return typeof value === 'string' ? value : this.wrong(path, 'a string', value);
  }

  boolean(value: unknown, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    return typeof value === 'boolean' ? value : this.wrong(path, 'true or false', value);
  }

  /** A whole number ≥ 0. */
  count(value: unknown, path: FieldPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : this.wrong(path, 'a whole number ≥ 0', value);
  }

  /** A list whose items are mappings; each bad item is reported, the good ones are returned with their index. */
  mappings(value: unknown, path: FieldPath): Array<{ item: JsonMap; index: number }> {
    const items = this.list(value, path) ?? [];
    const out: Array<{ item: JsonMap; index: number }> = [];
    items.forEach((item, index) => {
      const m = this.map(item, [...path, index], true);
      if (m) out.push({ item: m, index });
    });
    return out;
  }
}

/** metadata: name, generateName, namespace, uid as strings; labels and annotations as string maps. */
export function checkObjectMeta(meta: unknown, path: FieldPath, check: FieldChecker): JsonMap | undefined {
  const m = check.map(meta, path);
  if (!m) return undefined;
  for (const key of ['name', 'generateName', 'namespace', 'uid']) check.string(m[key], [...path, key]);
  for (const key of ['labels', 'annotations']) {
    const values = check.map(m[key], [...path, key]);
    for (const [k, v] of Object.entries(values ?? {})) check.string(v, [...path, key, k], true);
  }
  return m;
}

function checkContainers(value: unknown, path: FieldPath, check: FieldChecker): void {
  for (const { item: c, index } of check.mappings(value, path)) {
    const at = [...path, index];
    check.string(c.name, [...at, 'name'], true);
    for (const { item: m, index: j } of check.mappings(c.volumeMounts, [...at, 'volumeMounts'])) {
      const mAt = [...at, 'volumeMounts', j];
      check.string(m.name, [...mAt, 'name'], true);
      check.string(m.mountPath, [...mAt, 'mountPath'], true);
      check.boolean(m.readOnly, [...mAt, 'readOnly']);
      check.string(m.subPath, [...mAt, 'subPath']);
    }
  }
}

function checkTokenProjection(value: unknown, path: FieldPath, check: FieldChecker): void {
  const sat = check.map(value, path);
  if (!sat) return;
  check.string(sat.path, [...path, 'path'], true);
  check.string(sat.audience, [...path, 'audience']);
  const es = check.count(sat.expirationSeconds, [...path, 'expirationSeconds']);
  // The API server's pod validation, with its words (SPEC D.1 step 5 bounds).
  if (es !== undefined && es < MIN_EXPIRATION_SECONDS) check.problem([...path, 'expirationSeconds'], `${es}: may not specify a duration less than 10 minutes`);
  if (es !== undefined && es > MAX_EXPIRATION_SECONDS) check.problem([...path, 'expirationSeconds'], `${es}: may not specify a duration larger than 2^32 seconds`);
}

/**
 * A pod spec's token-related fields. Returns the spec when it is a mapping (problems inside it are
 * recorded, and the caller decides from the problem count whether to use it).
 */
export function checkPodSpec(spec: unknown, path: FieldPath, check: FieldChecker): JsonMap | undefined {
  const s = check.map(spec, path, true);
  if (!s) return undefined;
  for (const { item: v, index } of check.mappings(s.volumes, [...path, 'volumes'])) {
    const at = [...path, 'volumes', index];
    check.string(v.name, [...at, 'name'], true);
    const projected = check.map(v.projected, [...at, 'projected']);
    if (projected) {
      for (const { item: src, index: j } of check.mappings(projected.sources, [...at, 'projected', 'sources'])) {
        checkTokenProjection(src.serviceAccountToken, [...at, 'projected', 'sources', j, 'serviceAccountToken'], check);
      }
    }
    const secret = check.map(v.secret, [...at, 'secret']);
    if (secret) check.string(secret.secretName, [...at, 'secret', 'secretName']);
  }
  checkContainers(s.containers, [...path, 'containers'], check);
  checkContainers(s.initContainers, [...path, 'initContainers'], check);
  check.boolean(s.automountServiceAccountToken, [...path, 'automountServiceAccountToken']);
  check.string(s.serviceAccountName, [...path, 'serviceAccountName']);
  check.string(s.serviceAccount, [...path, 'serviceAccount']);
  return s;
}

/** status.startTime of a Pod: an RFC 3339 time, as epoch ms. */
export function checkStartTime(value: unknown, path: FieldPath, check: FieldChecker): { text: string; ms: number } | undefined {
  const text = check.string(value, path);
  if (text === undefined) return undefined;
  const parsed = parseDateTime(text);
  if (!parsed.ok) {
    check.problem(path, parsed.error);
    return undefined;
  }
  return { text, ms: parsed.ms };
}
