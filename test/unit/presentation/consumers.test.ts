// The views are generic: no consumer file names a model's event type, span kind or series (nor a
// lane kind) in quotes. They ask the presentation registry (src/sim/presentations.ts) instead, so a
// new model adds one presentation module and one registry line, and no consumer changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PRESENTATIONS } from '../../../src/sim/presentations';

/** Every consumer of the vocabulary, listed by hand: a new consumer is added here. */
const CONSUMERS = [
  'webview/categories.ts',
  'webview/format.ts',
  'webview/model.ts',
  'webview/laneTable.ts',
  'webview/details.ts',
  'webview/chartView.ts',
  'src/cli/summary.ts',
  'src/cli/htmlReport.ts',
  'src/cli/interactiveReport.ts',
  'src/cli/timefmt.ts',
  'src/vscode/simulationsTree.ts',
  'src/vscode/simulationRuns.ts',
];

/**
 * Literals that are the same word as a lane kind but mean something else, with the reason.
 * Keep this short: each entry is a file and a literal, never a whole file.
 */
const NOT_VOCABULARY: ReadonlyArray<[file: string, literal: string, why: string]> = [
  ['src/vscode/simulationRuns.ts', 'token', "RunSource kind: the run was started from a token in the Cluster view"],
];

const names = (pick: (p: (typeof PRESENTATIONS)[number]) => readonly string[]): string[] => PRESENTATIONS.flatMap(pick);
const VOCABULARY: Array<[string, string[]]> = [
  ['event type', names((p) => p.events.map((e) => e.type))],
  ['span kind', names((p) => p.spans.map((s) => s.id))],
  ['series', names((p) => p.series.map((s) => s.name))],
  ['lane kind', names((p) => p.lanes.map((l) => l.kind))],
];

test('the scan knows the registered vocabulary', () => {
  const events = VOCABULARY[0]?.[1] ?? [];
  assert.ok(events.includes('tokenRequest') && events.includes('tokenServedStale'), events.join());
});

for (const file of CONSUMERS) {
  test(`${file} names no model event type, span kind, series or lane kind`, () => {
    const text = readFileSync(file, 'utf8');
    for (const [what, list] of VOCABULARY) {
      for (const name of list) {
        if (NOT_VOCABULARY.some(([f, l]) => f === file && l === name)) continue;
        for (const q of ["'", '"', '`']) {
          assert.ok(!text.includes(`${q}${name}${q}`), `${file} names the ${what} ${q}${name}${q}: ask src/sim/presentations.ts instead`);
        }
      }
    }
  });
}

test('the exemptions are still needed (a stale one hides nothing)', () => {
  for (const [file, literal] of NOT_VOCABULARY) assert.ok(readFileSync(file, 'utf8').includes(`'${literal}'`), `${file} no longer has '${literal}'`);
});
