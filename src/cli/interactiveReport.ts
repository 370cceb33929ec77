/**
 * The interactive HTML report (`simulate --html`): one self-contained file that runs the extension's
 * own timeline webview (dist/webview.js, media/timeline.css) in any browser, offline. A small inline
 * script plays the VS Code host: it answers the page's `ready` with the trace (no what-if params, so
 * the form is shown disabled: there is nothing to re-run a simulation with) and turns the page's
 * export requests into downloads. Theme variables come from media/standalone-theme.css and follow the
 * browser's light/dark preference.
 *
 * Everything is inline and allowed by hash: the Content-Security-Policy is as strict as the
 * extension's (no 'unsafe-inline', no eval, no network). Pure function of its inputs.
 */
import { createHash } from 'node:crypto';
import type { Trace } from '../sim/trace';
import { CSV_HEADER } from '../sim/traceCsv';
import { traceToColumns } from '../traceColumns';

export interface InteractiveReportAssets {
  /** dist/webview.js */
  webviewJs: string;
  /** media/timeline.css */
  timelineCss: string;
  /** media/standalone-theme.css */
  themeCss: string;
}

export interface InteractiveReportOptions {
  /** The panel title and document title. */
  title: string;
}

/** Longest title the webview accepts in showTrace (src/protocol.ts). */
const MAX_TITLE = 500;

/**
 * `traceCsv(trace)` for the page: the same text as src/sim/traceCsv.ts (traceToCsv), ported to plain
 * JavaScript so the report need not carry the CSV next to the JSON (it would double the file). Exported
 * so a test can compare the two.
 */
export const PAGE_CSV_JS = `function traceCsv(trace) {
  const p2 = (n) => String(n).padStart(2, '0');
  const iso = (ms) => {
    const days = Math.floor(ms / 86400000);
    let rest = ms - days * 86400000;
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const mo = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
    const h = Math.floor(rest / 3600000);
    rest -= h * 3600000;
    const mi = Math.floor(rest / 60000);
    rest -= mi * 60000;
    const s = Math.floor(rest / 1000);
    const frac = rest - s * 1000;
    const year = y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
    return year + '-' + p2(mo) + '-' + p2(d) + 'T' + p2(h) + ':' + p2(mi) + ':' + p2(s) + (frac === 0 ? '' : '.' + String(frac).padStart(3, '0')) + 'Z';
  };
  const field = (v) => (/[",\\r\\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
  const lines = [${JSON.stringify(CSV_HEADER.join(','))}];
  for (const e of trace.events) {
    lines.push([iso(e.t), String(e.t), e.lane, e.type, e.ok === undefined ? '' : String(e.ok), e.error ?? '', e.rule].map(field).join(','));
  }
  return lines.join('\\n') + '\\n';
}`;

/**
 * The stand-in for VS Code's webview host. Runs before the bundle: sets the theme class on <body>,
 * installs acquireVsCodeApi, and serves the trace from the #trace data block, posted as columns like
 * the extension posts it (the encoder is src/traceColumns.ts's own, by its source text: it is
 * self-contained). Constant text (the title and trace are read from the page), so its CSP hash is the
 * same in every report.
 */
const HOST_STUB_JS = `(() => {
  'use strict';
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const applyTheme = () => {
    document.body.className = dark.matches ? 'vscode-dark' : 'vscode-light';
  };
  applyTheme();
  dark.addEventListener('change', applyTheme);

  const data = document.getElementById('trace');
  const title = data.dataset.title || 'Token timeline';
  const trace = JSON.parse(data.textContent);
  ${PAGE_CSV_JS.replace(/\n/g, '\n  ')}
  const traceToColumns = ${traceToColumns.toString().replace(/\n/g, '\n  ')};

  const fileName = (what, ext) => (title.replace(/[^\\w.-]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || what) + '.' + ext;
  const download = (blob, name) => {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };
  const pngBlob = (dataUrl) => {
    const prefix = 'data:image/png;base64,';
    if (typeof dataUrl !== 'string' || !dataUrl.startsWith(prefix)) throw new Error('not a PNG data URL');
    const bin = atob(dataUrl.slice(prefix.length));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: 'image/png' });
  };

  let state;
  const api = {
    postMessage(message) {
      const m = message || {};
      try {
        switch (m.type) {
          case 'ready':
            window.postMessage({ type: 'showTrace', title, trace: traceToColumns(trace) }, '*');
            break;
          case 'export':
            if (m.format === 'csv') download(new Blob([traceCsv(trace)], { type: 'text/csv' }), fileName('trace', 'csv'));
            else if (m.format === 'json') download(new Blob([JSON.stringify(trace, null, 2) + '\\n'], { type: 'application/json' }), fileName('trace', 'json'));
            break;
          case 'exportPng':
            download(pngBlob(m.dataUrl), fileName('timeline', 'png'));
            break;
          case 'reportError':
            console.warn('timeline: ' + m.message);
            break;
          default:
            // rerun / saveScenario: no host to run a simulation (the form is disabled); selectEvent: informational.
            break;
        }
      } catch (err) {
        console.warn('timeline: ' + (err && err.message ? err.message : String(err)));
      }
    },
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  };
  window.acquireVsCodeApi = () => api;
})();
`;

/** sha256 CSP source of an inline element's text, as the browser hashes it (UTF-8). */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** For text and double-quoted attribute values. */
function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text as the HTML parser will hand it to the hash check: the parser turns CR LF and lone CR into LF,
 * so inline text is normalised first or its hash would not match. Also drops a byte-order mark.
 */
function normalise(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Makes script text safe inside <script>…</script>: `</script` can no longer end it early (written
 * `<\/script`), and `<!--` (written `\x3C!--`) can no longer put the parser into the "escaped" states
 * where a later `<script` would make it skip the real end tag. Both rewrites mean the same inside JS
 * strings, templates and regular expressions (also with the u flag), and the bundle has them nowhere else.
 * The bundle's sourceMappingURL comment goes: the map is not shipped with the report.
 */
export function inlineScript(js: string): string {
  return normalise(js)
    .replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
}

/** Same for <style>…</style>. */
function inlineStyle(css: string): string {
  return normalise(css).replace(/<\/(style)/gi, '<\\/$1');
}

/**
 * JSON for a data block: every `<` is written as \u003c (valid JSON, same value), so neither
 * `</script` nor `<!--` can end or confuse the element.
 */
export function jsonDataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The report's Content-Security-Policy, from the hashes of its one style and its two scripts. */
export function interactiveReportCsp(styleHash: string, scriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    'img-src data: blob:',
    `style-src ${styleHash}`,
    `script-src ${scriptHashes.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderInteractiveReport(trace: Trace, assets: InteractiveReportAssets, options: InteractiveReportOptions): string {
  const title = options.title.slice(0, MAX_TITLE);
  const style = inlineStyle(`${assets.themeCss}\n${assets.timelineCss}`);
  const stub = inlineScript(HOST_STUB_JS);
  const bundle = inlineScript(assets.webviewJs);
  const csp = interactiveReportCsp(cspHash(style), [cspHash(stub), cspHash(bundle)]);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeAttr(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script type="application/json" id="trace" data-title="${escapeAttr(title)}">${jsonDataBlock(trace)}</script>`,
    `<script>${stub}</script>`,
    `<script>${bundle}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
