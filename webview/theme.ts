/**
 * The chart palette, read from VS Code's theme CSS variables (set on <html> by the webview host, with
 * the theme kind as a class on <body>), and re-read whenever either changes.
 */
import type { ColorKey } from './categories';

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export interface Palette {
  kind: ThemeKind;
  background: string;
  foreground: string;
  muted: string;
  lines: string;
  grid: string;
  focus: string;
  /** Border for high-contrast themes ('' otherwise). */
  contrastBorder: string;
  selectionBackground: string;
  widgetBackground: string;
  widgetBorder: string;
  fontFamily: string;
  fontSize: number;
  colors: Readonly<Record<ColorKey, string>>;
}

/**
 * The hues of the chart: the Okabe–Ito palette (sky blue on dark backgrounds, blue on light ones), which
 * stays distinguishable with protanopia, deuteranopia and tritanopia. VS Code's --vscode-charts-* colours
 * are not (their red and green, yellow and orange merge for many readers), so outside high-contrast
 * themes the chart uses these; high-contrast themes keep the theme's own colours, chosen for contrast.
 */
const FALLBACK: Readonly<Record<'light' | 'dark', Record<string, string>>> = {
  dark: {
    background: '#1f1f1f',
    foreground: '#cccccc',
    muted: '#9d9d9d',
    lines: '#cccccc80',
    focus: '#0078d4',
    red: '#D55E00',
    blue: '#56B4E9',
    yellow: '#F0E442',
    orange: '#E69F00',
    green: '#009E73',
    purple: '#CC79A7',
    widget: '#202020',
    widgetBorder: '#313131',
    selection: '#04395e',
  },
  light: {
    background: '#ffffff',
    foreground: '#3b3b3b',
    muted: '#717171',
    lines: '#61616180',
    focus: '#005fb8',
    red: '#D55E00',
    blue: '#0072B2',
    yellow: '#F0E442',
    orange: '#E69F00',
    green: '#009E73',
    purple: '#CC79A7',
    widget: '#f8f8f8',
    widgetBorder: '#e5e5e5',
    selection: '#e8e8e8',
  },
};

export function themeKind(body: HTMLElement): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (c.contains('vscode-high-contrast')) return 'highContrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Reads the palette from the computed CSS variables, with per-kind fallbacks. */
/** The colour-blind-safe hues per background (exported for the palette's test). */
export const CHART_HUES = { dark: FALLBACK.dark, light: FALLBACK.light } as const;

export function readPalette(doc: Document = document): Palette {
  const kind = themeKind(doc.body);
  const css = getComputedStyle(doc.documentElement);
  const bodyCss = getComputedStyle(doc.body);
  const fb = FALLBACK[kind === 'light' || kind === 'highContrastLight' ? 'light' : 'dark'];
  const v = (name: string, fallback: string): string => {
    const value = (css.getPropertyValue(name) || bodyCss.getPropertyValue(name)).trim();
    return value || fallback;
  };
  const foreground = v('--vscode-foreground', fb.foreground as string);
  const highContrast = kind === 'highContrast' || kind === 'highContrastLight';
  const contrastBorder = highContrast ? v('--vscode-contrastBorder', foreground) : '';
  const hue = (name: string, safe: string): string => (highContrast ? v(name, safe) : safe);
  const fontSize = Number.parseFloat(v('--vscode-font-size', '13px'));
  return {
    kind,
    background: v('--vscode-editor-background', fb.background as string),
    foreground,
    muted: v('--vscode-descriptionForeground', fb.muted as string),
    lines: v('--vscode-charts-lines', fb.lines as string),
    grid: v('--vscode-editorWidget-border', fb.widgetBorder as string),
    focus: v('--vscode-focusBorder', fb.focus as string),
    contrastBorder,
    selectionBackground: v('--vscode-list-inactiveSelectionBackground', fb.selection as string),
    widgetBackground: v('--vscode-editorWidget-background', fb.widget as string),
    widgetBorder: v('--vscode-editorWidget-border', fb.widgetBorder as string),
    fontFamily: v('--vscode-font-family', 'system-ui, -apple-system, "Segoe UI", "Ubuntu", sans-serif'),
    fontSize: Number.isFinite(fontSize) ? fontSize : 13,
    colors: {
      red: hue('--vscode-charts-red', fb.red as string),
      blue: hue('--vscode-charts-blue', fb.blue as string),
      yellow: hue('--vscode-charts-yellow', fb.yellow as string),
      orange: hue('--vscode-charts-orange', fb.orange as string),
      green: hue('--vscode-charts-green', fb.green as string),
      purple: hue('--vscode-charts-purple', fb.purple as string),
      foreground: v('--vscode-charts-foreground', foreground),
      muted: v('--vscode-descriptionForeground', fb.muted as string),
    },
  };
}

/**
 * Calls `onChange` (once per animation frame at most) when the theme changes: the host swaps the body
 * class (vscode-light / vscode-dark / vscode-high-contrast[-light]) and rewrites the variables on <html>.
 * Returns a function that stops observing.
 */
export function observeTheme(onChange: () => void, doc: Document = document): () => void {
  let pending = 0;
  const schedule = (): void => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      onChange();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => {
    observer.disconnect();
    if (pending) cancelAnimationFrame(pending);
  };
}

/**
 * A colour with alpha, from any CSS colour string the variables hold (#rgb, #rrggbb, #rrggbbaa, rgb(a)()).
 * Canvas needs explicit rgba for translucent fills.
 */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  let r: number;
  let g: number;
  let b: number;
  let a = 1;
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex && (hex.length === 3 || hex.length === 4)) {
    [r, g, b] = [0, 1, 2].map((i) => parseInt((hex[i] as string).repeat(2), 16)) as [number, number, number];
    if (hex.length === 4) a = parseInt((hex[3] as string).repeat(2), 16) / 255;
  } else if (hex && (hex.length === 6 || hex.length === 8)) {
    [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
    if (hex.length === 8) a = parseInt(hex.slice(6, 8), 16) / 255;
  } else {
    const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(c);
    if (!m) return c;
    r = Number(m[1]);
    g = Number(m[2]);
    b = Number(m[3]);
    if (m[4]) a = m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  }
  return `rgba(${r}, ${g}, ${b}, ${+(a * alpha).toFixed(3)})`;
}
