// The chart's hues stay apart for readers with colour-vision deficiencies: every pair of hues is
// simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity
// 1.0, applied in linear RGB) and compared in CIELAB (ΔE*76).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHART_HUES } from '../../../webview/theme';

type Matrix = readonly [readonly number[], readonly number[], readonly number[]];
const VISION: Readonly<Record<string, Matrix>> = {
  typical: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
/** Two hues closer than this (ΔE*76) are hard to tell apart at marker size. */
const MIN_DELTA_E = 15;
const HUES = ['red', 'blue', 'yellow', 'orange', 'green', 'purple'] as const;

function linear(hex: string): number[] {
  return [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
}

function lab(rgb: number[]): [number, number, number] {
  const [r, g, b] = rgb.map((v) => Math.min(1, Math.max(0, v))) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function seen(hex: string, m: Matrix): [number, number, number] {
  const l = linear(hex);
  return lab(m.map((row) => (row[0] ?? 0) * (l[0] ?? 0) + (row[1] ?? 0) * (l[1] ?? 0) + (row[2] ?? 0) * (l[2] ?? 0)));
}

function closestPair(colors: Readonly<Record<string, string>>): { deltaE: number; what: string } {
  let worst = { deltaE: Number.POSITIVE_INFINITY, what: '' };
  for (const [vision, m] of Object.entries(VISION)) {
    for (let i = 0; i < HUES.length; i++) {
      for (let j = i + 1; j < HUES.length; j++) {
        const a = seen(colors[HUES[i] ?? ""] ?? "#000000", m);
        const b = seen(colors[HUES[j] ?? ""] ?? "#000000", m);
        const deltaE = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        if (deltaE < worst.deltaE) worst = { deltaE, what: `${HUES[i]} vs ${HUES[j]} with ${vision}` };
      }
    }
  }
  return worst;
}

for (const background of ['dark', 'light'] as const) {
  test(`the chart hues on a ${background} background stay apart for colour-blind readers`, () => {
    const worst = closestPair(CHART_HUES[background]);
    assert.ok(worst.deltaE >= MIN_DELTA_E, `${worst.what}: ΔE ${worst.deltaE.toFixed(1)} < ${MIN_DELTA_E}`);
  });
}

test('the check can fail: VS Code’s default dark chart colours do not pass it', () => {
  const vscodeDark = { red: '#f14c4c', blue: '#3794ff', yellow: '#cca700', orange: '#d18616', green: '#89d185', purple: '#b180d7' };
  assert.ok(closestPair(vscodeDark).deltaE < MIN_DELTA_E);
});
