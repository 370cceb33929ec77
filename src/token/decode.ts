/**
 * Decodes a JWT (JWS compact serialization) without verifying it. Never throws: any input yields
 * either the decoded parts or one precise error naming the part that is wrong.
 */
import { decodeBase64Url } from './base64url';

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

/** The JSON payload. Registered claims, when present, have been checked to have the right JSON type. */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [name: string]: unknown;
}

export interface DecodedJwt {
  ok: true;
  header: JwtHeader;
  payload: JwtPayload;
  /** `<header>.<payload>` exactly as in the token: what the signature covers. */
  signingInput: string;
  signature: Uint8Array;
  /** The token as decoded: trimmed, any "Bearer " prefix removed. */
  token: string;
  parts: { header: string; payload: string; signature: string };
}

export type JwtPart = 'header' | 'payload' | 'signature' | 'format';

export interface DecodeFailure {
  ok: false;
  error: string;
  where: JwtPart;
}

export type DecodeResult = DecodedJwt | DecodeFailure;

const fail = (where: JwtPart, error: string): DecodeFailure => ({ ok: false, error, where });

/** What a JSON value is, for error messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function describeValue(value: unknown): string {
  const type = jsonTypeOf(value);
  if (type === 'string' || type === 'number' || type === 'boolean') {
    const text = JSON.stringify(value);
    return `${type} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
  }
  return type;
}

/** Removes surrounding whitespace and an "Authorization: Bearer"-style prefix. */
export function normalizeTokenText(text: string): string {
  let t = text.trim();
  t = t.replace(/^authorization:\s*/i, '');
  t = t.replace(/^bearer(\s+|$)/i, '');
  return t.trim();
}

type JsonResult = { ok: true; value: Record<string, unknown> } | DecodeFailure;

function decodeJsonPart(part: string, where: 'header' | 'payload'): JsonResult {
  if (part === '') return fail(where, `${where} is empty`);
  const b = decodeBase64Url(part);
  if (!b.ok) return fail(where, `${where} is ${b.error}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b.bytes);
  } catch {
    return fail(where, `${where} is not valid UTF-8 after base64url decoding`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(where, `${where} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (jsonTypeOf(value) !== 'object') return fail(where, `${where} is not a JSON object (got ${describeValue(value)})`);
  return { ok: true, value: value as Record<string, unknown> };
}

function checkHeader(h: Record<string, unknown>): string | undefined {
  if (!('alg' in h)) return 'header has no "alg"';
  if (typeof h.alg !== 'string') return `header "alg" must be a string (got ${describeValue(h.alg)})`;
  for (const name of ['kid', 'typ', 'cty'] as const) {
    if (name in h && typeof h[name] !== 'string') return `header "${name}" must be a string (got ${describeValue(h[name])})`;
  }
  if ('enc' in h) return 'header has "enc": this is an encrypted token (JWE), not a signed JWT';
  return undefined;
}

function checkPayload(p: Record<string, unknown>): string | undefined {
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (name in p) {
      const v = p[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) return `payload claim ${name} must be a number (got ${describeValue(v)})`;
    }
  }
  for (const name of ['iss', 'sub', 'jti'] as const) {
    if (name in p && typeof p[name] !== 'string') return `payload claim ${name} must be a string (got ${describeValue(p[name])})`;
  }
  if ('aud' in p) {
    const aud = p.aud;
    if (Array.isArray(aud)) {
      const bad = aud.findIndex((a) => typeof a !== 'string');
      if (bad >= 0) return `payload claim aud must be a string or an array of strings (element ${bad} is ${describeValue(aud[bad])})`;
    } else if (typeof aud !== 'string') {
      return `payload claim aud must be a string or an array of strings (got ${describeValue(aud)})`;
    }
  }
  if ('kubernetes.io' in p && jsonTypeOf(p['kubernetes.io']) !== 'object') {
    return `payload claim kubernetes.io must be an object (got ${describeValue(p['kubernetes.io'])})`;
  }
  return undefined;
}

export function decodeJwt(input: unknown): DecodeResult {
  try {
    return decodeUnsafe(input);
  } catch (err) {
    // Defensive: the code above is written not to throw; if it ever does, still honour "never throws".
    return fail('format', `could not decode the token: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decodeUnsafe(input: unknown): DecodeResult {
  if (typeof input !== 'string') return fail('format', `expected the token as text, got ${jsonTypeOf(input)}`);
  const token = normalizeTokenText(input);
  if (token === '') return fail('format', 'the token is empty');
  const ws = token.search(/\s/);
  if (ws >= 0) return fail('format', `the token contains whitespace at character ${ws + 1}: a JWT is one line with no spaces`);
  const parts = token.split('.');
  if (parts.length !== 3) {
    const jwe = parts.length === 5 ? ' (5 parts is an encrypted JWE, which cannot be read without the key)' : '';
    return fail('format', `expected 3 dot-separated parts, got ${parts.length}${jwe}`);
  }
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonPart(h, 'header');
  if (!header.ok) return header;
  const headerError = checkHeader(header.value);
  if (headerError) return fail('header', headerError);
  const payload = decodeJsonPart(p, 'payload');
  if (!payload.ok) return payload;
  const payloadError = checkPayload(payload.value);
  if (payloadError) return fail('payload', payloadError);
  const sig = decodeBase64Url(s);
  if (!sig.ok) return fail('signature', `signature is ${sig.error}`);
  return {
    ok: true,
    header: header.value as JwtHeader,
    payload: payload.value as JwtPayload,
    signingInput: `${h}.${p}`,
    signature: sig.bytes,
    token,
    parts: { header: h, payload: p, signature: s },
  };
}
