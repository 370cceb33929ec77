/**
 * The ExecCredential object both ways (SPEC C.5 steps 2 and 6, C.7): the input client-go puts in
 * KUBERNETES_EXEC_INFO, and the checks it applies to a plugin's stdout, with client-go's error
 * texts. Nothing from stdout is ever put in a message except the apiVersion and kind the plugin
 * declared (which client-go's own texts name, and which are not secrets).
 *
 * Decoding follows apimachinery's universal decoder: stdout starting with "{" is JSON, anything
 * else goes the YAML way (empty output becomes null). A missing apiVersion or kind is defaulted
 * from the target type, so an object without apiVersion decodes as the internal version and then
 * fails the version check ("plugin returned version client.authentication.k8s.io/__internal").
 * Not modelled: YAML documents beyond "is it a mapping, a list or a scalar".
 */
import { goQuote } from '../units/goQuote';
import { parseDateTime } from '../units/datetime';
import {
  EXEC_API_V1ALPHA1,
  EXEC_CREDENTIAL_KIND,
  EXEC_GROUP,
  acceptedApiVersions,
  serializesInteractive,
  type ClientGoVersion,
  type ExecCluster,
} from './execConfig';
import { goJsonSyntaxError } from '../units/goJsonSyntax';
import { goJsonString } from '../units/goJson';

const INTERNAL_VERSION = '__internal';
/** The name apimachinery gives a scheme in its "not registered" errors (as commonly printed). */
const SCHEME_NAME = 'pkg/runtime/scheme.go:100';
const RFC3339_LAYOUT = '2006-01-02T15:04:05Z07:00';
/** Go's %v of the anonymous struct apimachinery reads apiVersion and kind into. */
const TYPE_META_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

// ---------------------------------------------------------------------------------------------
// Input (SPEC C.5 step 2, C.7)

/** SPEC C.7, before 1.24: what a v1alpha1 plugin is told about the 401 that made it run. */
export interface UnauthorizedResponse {
  readonly code: 401;
  readonly header?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The exact text client-go puts in KUBERNETES_EXEC_INFO: Go's JSON encoder (struct field order,
 * omitempty, HTML-safe escaping, a trailing newline). `cluster` is sent only with provideClusterInfo.
 */
export function encodeExecCredentialInput(
  apiVersion: string,
  interactive: boolean,
  version: ClientGoVersion,
  cluster?: ExecCluster,
  response?: UnauthorizedResponse,
): string {
  const spec: string[] = [];
  if (apiVersion === EXEC_API_V1ALPHA1) {
    // v1alpha1 has no cluster; both of its fields are omitempty.
    if (response !== undefined) spec.push(`"response":${encodeResponse(response)}`);
    if (interactive) spec.push('"interactive":true');
  } else {
    if (cluster !== undefined) spec.push(`"cluster":${encodeCluster(cluster)}`);
    // SPEC C.7: "always serialized, even when false" (from 1.22 for v1beta1).
    if (serializesInteractive(version, apiVersion)) spec.push(`"interactive":${interactive}`);
  }
  return `{"kind":"${EXEC_CREDENTIAL_KIND}","apiVersion":${goJsonString(apiVersion)},"spec":{${spec.join(',')}}}\n`;
}

function encodeResponse(r: UnauthorizedResponse): string {
  const parts: string[] = [];
  const header = r.header ?? {};
  const names = Object.keys(header).sort();
  if (names.length > 0) parts.push(`"header":{${names.map((n) => `${goJsonString(n)}:[${(header[n] ?? []).map(goJsonString).join(',')}]`).join(',')}}`);
  parts.push(`"code":${r.code}`);
  return `{${parts.join(',')}}`;
}

function encodeCluster(c: ExecCluster): string {
  const parts = [`"server":${goJsonString(c.server)}`];
  if (c.tlsServerName !== undefined && c.tlsServerName !== '') parts.push(`"tls-server-name":${goJsonString(c.tlsServerName)}`);
  if (c.insecureSkipTlsVerify === true) parts.push('"insecure-skip-tls-verify":true');
  if (c.certificateAuthorityData !== undefined && c.certificateAuthorityData !== '') {
    parts.push(`"certificate-authority-data":${goJsonString(c.certificateAuthorityData.replace(/\s+/g, ''))}`);
  }
  if (c.proxyUrl !== undefined && c.proxyUrl !== '') parts.push(`"proxy-url":${goJsonString(c.proxyUrl)}`);
  if (c.disableCompression === true) parts.push('"disable-compression":true');
  // A RawExtension is a struct, so omitempty does not drop it: no config encodes as null.
  parts.push(`"config":${c.config === undefined ? 'null' : goJsonValue(c.config)}`);
  return `{${parts.join(',')}}`;
}

/** An arbitrary JSON value as Go re-encodes a raw extension: compact, object keys sorted. */
function goJsonValue(v: unknown): string {
  if (typeof v === 'string') return goJsonString(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(goJsonValue).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJsonValue(o[k])}`)
    .join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Output (SPEC C.5 step 6)

/** What the checks let through. Token and key data may be secrets: never log them. */
export interface ExecCredentialStatus {
  readonly token: string;
  readonly clientCertificateData: string;
  readonly clientKeyData: string;
  /** Epoch ms; undefined when the plugin gave none (or null). */
  readonly expirationTimestamp?: number;
}

export type DecodedExecCredential = { ok: true; status: ExecCredentialStatus } | { ok: false; error: string };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** Parse as the universal decoder would see the bytes (JSON, or the YAML path for other text). */
function readStdout(stdout: string): { ok: true; value: Json } | { ok: false; error: string } {
  const trimmed = stdout.replace(/^[ \t\r\n]+/, '');
  if (trimmed.startsWith('{')) {
    const syntax = goJsonSyntaxError(stdout);
    if (syntax !== undefined) return { ok: false, error: `couldn't get version/kind; json parse error: ${syntax}` };
    return { ok: true, value: JSON.parse(stdout) as Json };
  }
  // The YAML path: empty output is null; JSON scalars and lists are themselves.
  if (trimmed.trim() === '') return { ok: true, value: null };
  if (goJsonSyntaxError(stdout) === undefined) return { ok: true, value: JSON.parse(stdout) as Json };
  // Any other text: a YAML mapping ("key: value" lines), a list ("- x") or a plain string.
  const first = trimmed.split(/\r?\n/, 1)[0] ?? '';
  if (/^-( |$)/.test(first)) return { ok: true, value: [] };
  if (/^[^\s#][^:]*:( |$)/.test(first)) return { ok: true, value: {} };
  return { ok: true, value: '' };
}

/** encoding/json's field lookup for apiVersion/kind: exact or case-insensitive, last key wins. */
function findTypeMeta(obj: { [k: string]: Json }): { ok: true; apiVersion: string; kind: string } | { ok: false; error: string } {
  let apiVersion = '';
  let kind = '';
  let typeError: string | undefined;
  for (const k of Object.keys(obj)) {
    const lower = k.toLowerCase();
    if (lower !== 'apiversion' && lower !== 'kind') continue;
    const field = lower === 'kind' ? 'kind' : 'apiVersion';
    const v = obj[k] as Json;
    if (v === null) continue;
    if (typeof v !== 'string') {
      typeError ??= `json: cannot unmarshal ${jsonType(v)} into Go struct field .${field} of type string`;
      continue;
    }
    if (field === 'kind') kind = v;
    else apiVersion = v;
  }
  if (typeError !== undefined) return { ok: false, error: `couldn't get version/kind; json parse error: ${typeError}` };
  return { ok: true, apiVersion, kind };
}

function parseGroupVersion(gv: string): { ok: true; group: string; version: string } | { ok: false; error: string } {
  if (gv === '' || gv === '/') return { ok: true, group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { ok: true, group: '', version: gv };
  if (parts.length === 2) return { ok: true, group: parts[0] ?? '', version: parts[1] ?? '' };
  return { ok: false, error: `unexpected GroupVersion string: ${gv}` };
}

function groupVersionText(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * SPEC C.5 step 6: decode `stdout` as client-go configured with `apiVersion` does, and apply the
 * status checks in upstream order. Errors are the texts client-go returns (without the
 * "getting credentials: " the round tripper adds).
 */
export function decodeExecCredential(stdout: string, apiVersion: string, version: ClientGoVersion): DecodedExecCredential {
  const fail = (error: string): DecodedExecCredential => ({ ok: false, error });
  const decodeFail = (error: string): DecodedExecCredential => fail(`decoding stdout: ${error}`);

  const read = readStdout(stdout);
  if (!read.ok) return decodeFail(read.error);
  const value = read.value;
  let obj: { [k: string]: Json };
  if (value === null) obj = {};
  else if (typeof value !== 'object' || Array.isArray(value)) {
    return decodeFail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonType(value)} into Go value of type ${TYPE_META_STRUCT}`);
  } else obj = value;

  const meta = findTypeMeta(obj);
  if (!meta.ok) return decodeFail(meta.error);
  const gv = parseGroupVersion(meta.apiVersion);
  if (!gv.ok) return decodeFail(gv.error);
  // Defaults from the type decoded into (the internal ExecCredential).
  const kind = meta.kind === '' ? EXEC_CREDENTIAL_KIND : meta.kind;
  let { group, version: ver } = gv;
  if (ver === '' && group === '') group = EXEC_GROUP;
  if (ver === '' && group === EXEC_GROUP) ver = INTERNAL_VERSION;

  const returned = groupVersionText(group, ver);
  const registered = kind === EXEC_CREDENTIAL_KIND && (ver === INTERNAL_VERSION ? group === EXEC_GROUP : (acceptedApiVersions(version) as readonly string[]).includes(returned));
  if (!registered) {
    if (ver === INTERNAL_VERSION) return decodeFail(`no kind ${goQuote(kind)} is registered for the internal version of group ${goQuote(group)} in scheme ${goQuote(SCHEME_NAME)}`);
    return decodeFail(`no kind ${goQuote(kind)} is registered for version ${goQuote(returned)} in scheme ${goQuote(SCHEME_NAME)}`);
  }

  // The internal type has no JSON names, so its fields are only found under their Go names.
  const internal = ver === INTERNAL_VERSION;
  const typeName = internal ? 'clientauthentication' : ver;
  const fields = readFields(obj, internal, typeName);
  if (!fields.ok) return decodeFail(fields.error);

  if (returned !== apiVersion) {
    return fail(`exec plugin is configured to use API version ${apiVersion}, plugin returned version ${returned}`);
  }
  const status = fields.status;
  if (status === undefined) return fail("exec plugin didn't return a status field");
  if (status.token === '' && status.clientCertificateData === '' && status.clientKeyData === '') {
    return fail("exec plugin didn't return a token or cert/key pair");
  }
  if ((status.clientCertificateData === '') !== (status.clientKeyData === '')) {
    return fail('exec plugin returned only certificate or key, not both');
  }
  return { ok: true, status };
}

/**
 * The typed decode: case-sensitive field names (Kubernetes' JSON library), unknown fields ignored,
 * the first type error in document order reported in encoding/json's words.
 */
function readFields(
  obj: { [k: string]: Json },
  internal: boolean,
  typeName: string,
): { ok: true; status: ExecCredentialStatus | undefined } | { ok: false; error: string } {
  const name = (jsonName: string): string => (internal ? jsonName[0]?.toUpperCase() + jsonName.slice(1) : jsonName);
  const typeError = (v: Json, path: string, struct: string, goType: string): { ok: false; error: string } => ({
    ok: false,
    error: `json: cannot unmarshal ${jsonType(v)} into Go struct field ${struct}.${path} of type ${goType}`,
  });
  const specKey = name('spec');
  const statusKey = name('status');
  let status: ExecCredentialStatus | undefined;
  for (const k of Object.keys(obj)) {
    const v = obj[k] as Json;
    if (k === specKey && v !== null) {
      if (typeof v !== 'object' || Array.isArray(v)) return typeError(v, 'spec', 'ExecCredential', `${typeName}.ExecCredentialSpec`);
      const interactive = v[name('interactive')];
      if (interactive !== undefined && interactive !== null && typeof interactive !== 'boolean') {
        return typeError(interactive, 'spec.interactive', 'ExecCredentialSpec', 'bool');
      }
    }
    if (k === statusKey) {
      if (v === null) {
        status = undefined;
        continue;
      }
      if (typeof v !== 'object' || Array.isArray(v)) return typeError(v, 'status', 'ExecCredential', `${typeName}.ExecCredentialStatus`);
      const s = { token: '', clientCertificateData: '', clientKeyData: '' } as { token: string; clientCertificateData: string; clientKeyData: string; expirationTimestamp?: number };
      for (const sk of Object.keys(v)) {
        const sv = v[sk] as Json;
        const field = (['token', 'clientCertificateData', 'clientKeyData', 'expirationTimestamp'] as const).find((f) => name(f) === sk);
        if (field === undefined || sv === null) continue;
        if (field === 'expirationTimestamp') {
          // metav1.Time reads a JSON string and parses it as RFC 3339.
          if (typeof sv !== 'string') return { ok: false, error: `json: cannot unmarshal ${jsonType(sv)} into Go value of type string` };
          const t = parseDateTime(sv);
          if (!t.ok) return { ok: false, error: `parsing time as ${goQuote(RFC3339_LAYOUT)}: the plugin's expirationTimestamp is not an RFC 3339 time` };
          s.expirationTimestamp = t.ms;
          continue;
        }
        if (typeof sv !== 'string') return typeError(sv, `status.${field}`, 'ExecCredentialStatus', 'string');
        s[field] = sv;
      }
      status = s;
    }
  }
  return { ok: true, status };
}

// ---------------------------------------------------------------------------------------------
// The client certificate (SPEC C.5 step 6, "unparseable key pair")

export type KeyPairResult =
  | {
      ok: true;
      /** Equal for equal certificates and keys (client-go compares the parsed pair deeply, SPEC C.5 step 7). */
      identity: string;
      subject: string;
      notAfter?: number;
    }
  | { ok: false; error: string };

/** Parses a PEM certificate and key pair; the Node side can inject one that does the cryptography. */
export type KeyPairParser = (certificateData: string, keyData: string) => KeyPairResult;

interface PemBlock {
  type: string;
  body: string;
}

/** PEM blocks as Go's pem.Decode finds them: BEGIN at a line start, matching END, valid base64. */
function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n([\s\S]*?)\n-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const lines = (m[2] ?? '').split(/\r?\n/);
    // Optional "Key: value" headers end at the first blank line.
    const headerEnd = lines.some((l) => l.includes(':')) ? lines.findIndex((l) => l.trim() === '') + 1 : 0;
    const body = lines.slice(headerEnd).join('').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(body) && body.length % 4 === 0) out.push({ type: m[1] ?? '', body });
  }
  return out;
}

const goList = (xs: readonly string[]): string => `[${xs.join(' ')}]`;

/**
 * The PEM stage of Go's tls.X509KeyPair with its error texts. It cannot check the DER or that the
 * key matches the certificate (no cryptography in the pure core): inject a KeyPairParser for that.
 * Subject is unknown here ('').
 */
export function checkPemKeyPair(certificateData: string, keyData: string): KeyPairResult {
  const certBlocks = pemBlocks(certificateData);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return { ok: false, error: 'tls: failed to find any PEM data in certificate input' };
    if (skipped.length === 1 && (skipped[0] ?? '').endsWith('PRIVATE KEY')) {
      return { ok: false, error: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched' };
    }
    return { ok: false, error: `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}` };
  }
  const skipped: string[] = [];
  let key: PemBlock | undefined;
  for (const b of pemBlocks(keyData)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      key = b;
      break;
    }
    skipped.push(b.type);
  }
  if (key === undefined) {
    if (skipped.length === 0) return { ok: false, error: 'tls: failed to find any PEM data in key input' };
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return { ok: false, error: 'tls: found a certificate rather than a key in the PEM for the private key' };
    return { ok: false, error: `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}` };
  }
  return { ok: true, identity: `${certs.map((c) => c.body).join('|')}#${key.type}:${key.body}`, subject: '' };
}

/** SPEC C.5 step 6: how a key pair error reaches the caller. */
export function keyPairError(error: string): string {
  return `failed parsing client key/certificate: ${error}`;
}
