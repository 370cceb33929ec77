/**
 * The Trace as JSON text in pieces: the same bytes as JSON.stringify(trace), but never one string of
 * the whole trace, which a long or large run makes longer than a JavaScript string can be ("Invalid
 * string length"). Long arrays (events, spans, lanes, series values) come out in batches of about
 * CHUNK characters, so a writer can stream them and wait for a slow reader.
 */
import type { Trace } from './trace';

const CHUNK = 64 * 1024;

function* arrayChunks(items: readonly unknown[]): Generator<string> {
  let buf = '[';
  for (let i = 0; i < items.length; i++) {
    // JSON.stringify writes null for what JSON cannot hold inside an array; so does this.
    buf += (i === 0 ? '' : ',') + (JSON.stringify(items[i]) ?? 'null');
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}]`;
}

function* valueChunks(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield* arrayChunks(value);
  } else if (typeof value === 'object' && value !== null) {
    // Objects whose members may be long arrays (the trace itself, each series).
    let first = true;
    yield '{';
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      yield* valueChunks(v);
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

/** `JSON.stringify(trace)` in pieces (compact; a line break after the last piece is the caller's). */
export function traceJsonChunks(trace: Trace): Generator<string> {
  return valueChunks(trace);
}
