/**
 * Tiny DOM helpers. Everything is built with createElement/textContent (never innerHTML), and styles
 * are set through the CSSOM (element.style) or classes, so the page runs under a CSP without
 * 'unsafe-inline'.
 */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An inline SVG icon from path data in a `box`×`box` view box. */
export function svgIcon(paths: string[], options: { box?: number; size?: number; fill?: string; stroke?: string; className?: string } = {}): SVGSVGElement {
  const box = options.box ?? 16;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${box} ${box}`);
  svg.setAttribute('width', String(options.size ?? 16));
  svg.setAttribute('height', String(options.size ?? 16));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (options.className) svg.setAttribute('class', options.className);
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', options.fill ?? 'currentColor');
    if (options.stroke) {
      p.setAttribute('stroke', options.stroke);
      p.setAttribute('stroke-width', '1.5');
    }
    svg.append(p);
  }
  return svg;
}

/** Toolbar icons (16×16, drawn for this view). */
export const ICONS = {
  toStart: ['M3 3h1.6v10H3z', 'M13 3.2v9.6L5.6 8z'],
  prev: ['M2.5 3h1.6v10H2.5z', 'M13.5 3.2v9.6L6.1 8z'],
  play: ['M4.5 2.8v10.4L13 8z'],
  pause: ['M4 3h3v10H4zM9 3h3v10H9z'],
  next: ['M11.9 3h1.6v10h-1.6z', 'M2.5 3.2v9.6L9.9 8z'],
  toEnd: ['M11.4 3H13v10h-1.6z', 'M3 3.2v9.6L10.4 8z'],
  zoomIn: ['M7 2a5 5 0 0 1 3.9 8.1l3.4 3.5-1 1-3.4-3.5A5 5 0 1 1 7 2zm0 1.3a3.7 3.7 0 1 0 0 7.4 3.7 3.7 0 0 0 0-7.4zM6.4 4.6h1.2v1.8h1.8v1.2H7.6v1.8H6.4V7.6H4.6V6.4h1.8z'],
  zoomOut: ['M7 2a5 5 0 0 1 3.9 8.1l3.4 3.5-1 1-3.4-3.5A5 5 0 1 1 7 2zm0 1.3a3.7 3.7 0 1 0 0 7.4 3.7 3.7 0 0 0 0-7.4zM4.6 6.4h4.8v1.2H4.6z'],
  fit: ['M1.5 4.5V1.5h3v1.2H2.7v1.8zM14.5 4.5V1.5h-3v1.2h1.8v1.8zM1.5 11.5v3h3v-1.2H2.7v-1.8zM14.5 11.5v3h-3v-1.2h1.8v-1.8zM4 7.4h8v1.2H4z'],
  target: ['M7.4 1h1.2v2.1A5 5 0 0 1 12.9 7.4H15v1.2h-2.1a5 5 0 0 1-4.3 4.3V15H7.4v-2.1a5 5 0 0 1-4.3-4.3H1V7.4h2.1A5 5 0 0 1 7.4 3.1zM8 4.3a3.7 3.7 0 1 0 0 7.4 3.7 3.7 0 0 0 0-7.4zM8 6.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z'],
  close: ['M4.1 3.2 8 7.1l3.9-3.9.9.9L8.9 8l3.9 3.9-.9.9L8 8.9l-3.9 3.9-.9-.9L7.1 8 3.2 4.1z'],
} as const;
