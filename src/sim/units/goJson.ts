/**
 * The two sides of Go's encoding/json the plugin protocol depends on (SPEC B.7): how the kubelet
 * writes a string into the request (json.Encoder, which escapes HTML characters), and how strictly it
 * reads a plugin's stdout (RFC 8259 only, and the apimachinery strict decoder also rejects a field
 * given twice). Parse failures give a position and a reason, never a piece of the text: a plugin's
 * stdout may hold registry passwords.
 */

/** A parsed JSON value; objects keep their keys in a Map so that no key can reach Object.prototype. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/**
 * `duplicateKeys` counts keys given twice in one object; the later value is kept, as Go's lenient
 * decoder does (the kubelet reads apiVersion that way before its strict decode rejects the duplicate).
 */
export type JsonParseResult = { ok: true; value: JsonValue; duplicateKeys: number } | { ok: false; reason: string };

const HEX = '0123456789abcdef';

/** A string as Go's json.Encoder writes it (escapeHTML on, Go 1.22+ escapes for \b and \f). */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // a lone surrogate is not UTF-8: Go writes U+FFFD
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    } else out += s[i];
  }
  return `${out}"`;
}

/** Deeper than this is refused rather than risking the stack (Go's own limit is 10000). */
const MAX_DEPTH = 1000;

class JsonSyntaxError extends Error {}

/** Parses JSON text as Go's decoder accepts it. Lone surrogate escapes become U+FFFD, as in Go. */
export function parseStrictJson(text: string): JsonParseResult {
  let i = 0;
  let duplicateKeys = 0;
  const fail = (why: string): never => {
    throw new JsonSyntaxError(`${why} (at character ${i + 1})`);
  };
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const literal = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('not valid JSON');
  };
  const number = (): number => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail('not valid JSON');
    i += m[0].length;
    return Number(m[0]);
  };
  const string = (): string => {
    i++; // the opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) return fail('a string is not closed');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) return fail('a control character inside a string');
      if (c !== 0x5c) {
        out += text[i];
        i++;
        continue;
      }
      const e = text[i + 1];
      i += 2;
      if (e === '"' || e === '\\' || e === '/') out += e;
      else if (e === 'b') out += '\b';
      else if (e === 'f') out += '\f';
      else if (e === 'n') out += '\n';
      else if (e === 'r') out += '\r';
      else if (e === 't') out += '\t';
      else if (e === 'u') {
        const unit = hex4();
        if (unit >= 0xd800 && unit <= 0xdbff && text.startsWith('\\u', i)) {
          const save = i;
          i += 2;
          const low = hex4();
          if (low >= 0xdc00 && low <= 0xdfff) out += String.fromCharCode(unit, low);
          else {
            out += '\ufffd';
            i = save;
          }
        } else out += unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : String.fromCharCode(unit);
      } else {
        i -= 2;
        return fail('an invalid escape inside a string');
      }
    }
  };
  const hex4 = (): number => {
    const h = text.slice(i, i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) return fail('an invalid \\u escape inside a string');
    i += 4;
    return parseInt(h, 16);
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) return fail('nested too deeply');
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JsonObject = new Map();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') return fail('an object key must be a string');
        const key = string();
        if (obj.has(key)) {
          duplicateKeys++;
          obj.delete(key); // the later value wins, and takes the later place
        }
        skipSpace();
        if (text[i] !== ':') return fail('expected a colon after an object key');
        i++;
        obj.set(key, value(depth + 1));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        return fail('expected a comma or the end of the object');
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        return fail('expected a comma or the end of the list');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    return fail(c === undefined ? 'the output ends before a JSON value' : 'not valid JSON');
  };
  try {
    const v = value(0);
    skipSpace();
    if (i < text.length) fail('more text after the JSON value');
    return { ok: true, value: v, duplicateKeys };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, reason: e.message };
    throw e;
  }
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return v instanceof Map;
}
