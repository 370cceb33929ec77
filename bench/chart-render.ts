/**
 * Timeline render benchmark: a synthetic trace of 1,000 lanes and 50,000 events in the real webview
 * bundle (headless Chromium, real CSP, as in test/browser). Prints figures; never fails on time.
 *
 * Build and run (after the webview bundle exists in dist/webview.js):
 *   npx esbuild --bundle --platform=browser --format=iife --target=es2022 --minify webview/main.ts --outfile=dist/webview.js
 *   npx esbuild --bundle --platform=node --format=cjs --packages=external bench/chart-render.ts --outfile=out/bench/chart-render.js
 *   node out/bench/chart-render.js [--lanes 1000] [--events 50000] [--hours 24]
 *
 * Measured inside the page with performance.now():
 * - first paint: from posting showTrace (structured clone, validation, model, setOption) to ECharts'
 *   'finished' event (target ≤ 500 ms), with where the time goes (the page's performance marks);
 *   the trace travels as columns like the host sends it (--wire objects: as a Trace of objects);
 * - zoom frames: programmatic dataZoom steps (zoom in to minutes, pan, zoom out), each dispatched with
 *   flush so the cost includes the canvas paint, plus the rAF-to-rAF interval when one step is done
 *   per animation frame (target p95 ≤ 17 ms per frame);
 * - lane scroll frames (the vertical window over 1,000 lanes) and cursor frames (the clock playing).
 */
import { openWebview } from '../test/browser/webviewPage';
import { syntheticTrace } from '../test/browser/traces';
import { traceToColumns } from '../src/traceColumns';

interface Paint {
  total: number;
  /** postMessage → the page's message listener (structured clone both ways, the event loop). */
  post: number;
  validate: number;
  model: number;
  /** ECharts setOption up to its 'finished': the option, series data, layout and the first canvas paint. */
  chart: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface FrameStats {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function stats(xs: number[]): FrameStats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? Number.NaN;
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? Number.NaN };
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const lanes = arg('lanes', 1000);
  const events = arg('events', 50_000);
  const hours = arg('hours', 24);
  const wire = process.argv.includes('--wire') ? process.argv[process.argv.indexOf('--wire') + 1] : 'columns';
  const trace = syntheticTrace({ lanes, events, hours });
  console.log(`chart-render: ${trace.lanes.length} lanes, ${trace.events.length} events, ${trace.spans.length} spans, ${trace.series.length} series × ${trace.series[0]?.values.length} points, ${hours} h`);

  const coldRuns: number[] = [];
  const warmRuns: number[] = [];
  let zoomSync: number[] = [];
  let zoomRaf: number[] = [];
  let scrollSync: number[] = [];
  let cursorRaf: number[] = [];
  const breakdowns: Paint[] = [];
  let heapMb = 0;

  for (let run = 0; run < 3; run++) {
    const view = await openWebview({ theme: 'dark', viewport: { width: 1400, height: 900 } });
    try {
      await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      // The page receives the trace as the host sends it: columns (typed arrays) by default, made in the
      // page from the objects (playwright cannot pass typed arrays), or the objects themselves (--wire objects).
      await view.page.evaluate((t) => {
        (window as unknown as { __benchTrace: unknown }).__benchTrace = t;
      }, trace);
      // The encoder's own source text, as the HTML report embeds it (evaluated by the driver, not the page's CSP).
      await view.page.evaluate(`window.__benchColumns = (${traceToColumns.toString()})(window.__benchTrace); undefined`);

      const paint = (): Promise<Paint> =>
        view.page.evaluate(
          (asColumns) =>
            new Promise<Paint>((resolve) => {
              performance.clearMarks();
              const w = window as unknown as { __benchTrace: unknown; __benchColumns?: unknown; __ktlColumns?: (t: unknown) => unknown };
              const t0 = performance.now();
              window.addEventListener(
                'ktl-painted',
                () => {
                  const total = performance.now() - t0;
                  const at = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
                  resolve({
                    total,
                    post: at('ktl:received') - t0,
                    validate: at('ktl:validated') - at('ktl:received'),
                    model: at('ktl:model') - at('ktl:validated'),
                    // ECharts renders synchronously inside setOption and says 'finished' there.
                    chart: at('ktl:painted') - at('ktl:model'),
                  });
                },
                { once: true },
              );
              window.postMessage({ type: 'showTrace', title: 'Synthetic', trace: asColumns ? w.__benchColumns : w.__benchTrace }, '*');
            }),
          wire === 'columns',
        );

      const cold = await paint();
      coldRuns.push(cold.total);
      const warm = await paint();
      warmRuns.push(warm.total);
      breakdowns.push(cold);

      if (run === 0) {
        const frames = await view.page.evaluate(async () => {
          type Chart = { dispatchAction(p: unknown, o?: unknown): void };
          const w = window as unknown as { __ktl: { chart: Chart; app: { snapshot(): { x: number[] }; chartView: { setNow(t: number): void; setLaneOffset(o: number): number } } } };
          const chart = w.__ktl.chart;
          const [start, end] = w.__ktl.app.snapshot().x as [number, number];
          const raf = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));
          const windows: Array<[number, number]> = [];
          let a = start;
          let b = end;
          for (let i = 0; i < 30; i++) {
            const c = a + (b - a) * 0.45;
            const span = (b - a) * 0.8;
            a = c - span * 0.45;
            b = a + span;
            windows.push([a, b]);
          }
          for (let i = 0; i < 20; i++) {
            const span = b - a;
            a += span * 0.25;
            b += span * 0.25;
            windows.push([a, b]);
          }
          for (let i = 0; i < 30; i++) {
            const span = Math.min(end - start, (b - a) * 1.25);
            const c = (a + b) / 2;
            a = Math.max(start, c - span / 2);
            b = Math.min(end, a + span);
            windows.push([a, b]);
          }
          const sync: number[] = [];
          const intervals: number[] = [];
          let last = await raf();
          for (const [s, e] of windows) {
            const t0 = performance.now();
            chart.dispatchAction({ type: 'dataZoom', dataZoomId: 'xInside', startValue: s, endValue: e }, { flush: true });
            sync.push(performance.now() - t0);
            const t = await raf();
            intervals.push(t - last);
            last = t;
          }
          // Lane scrolling through the 1,000 lanes.
          const scroll: number[] = [];
          for (let i = 1; i <= 40; i++) {
            const t0 = performance.now();
            w.__ktl.app.chartView.setLaneOffset(i * 20);
            (chart as unknown as { getZr(): { flush(): void } }).getZr().flush();
            scroll.push(performance.now() - t0);
            await raf();
          }
          // Cursor frames (the clock playing): only the overlay layer repaints.
          const cursor: number[] = [];
          last = await raf();
          for (let i = 0; i < 60; i++) {
            w.__ktl.app.chartView.setNow(start + ((end - start) * i) / 60);
            const t = await raf();
            cursor.push(t - last);
            last = t;
          }
          const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
          return { sync, intervals, scroll, cursor, heap: mem ? mem.usedJSHeapSize / 1048576 : 0 };
        });
        zoomSync = frames.sync;
        zoomRaf = frames.intervals.slice(1);
        scrollSync = frames.scroll;
        cursorRaf = frames.cursor.slice(1);
        heapMb = frames.heap;
      }
    } finally {
      await view.close();
    }
  }

  const z = stats(zoomSync);
  const zr = stats(zoomRaf);
  const sc = stats(scrollSync);
  const cu = stats(cursorRaf);
  console.log('');
  const med = (xs: number[]): number => stats(xs).median;
  console.log(`first paint (showTrace → 'finished'), fresh page, trace as ${wire}: ${coldRuns.map(fmt).join(', ')}; median ${fmt(med(coldRuns))}   (target ≤ 500 ms)`);
  const part = (k: keyof Paint): string => `${k} ${fmt(med(breakdowns.map((b) => b[k])))}`;
  console.log(`  where it goes (median of the cold runs): ${(['post', 'validate', 'model', 'chart'] as const).map(part).join(', ')}`);
  console.log(`re-render of the same trace (warm): ${warmRuns.map(fmt).join(', ')}`);
  console.log(`zoom/pan step, dispatch + paint (${z.n} steps): median ${fmt(z.median)}, p95 ${fmt(z.p95)}, max ${fmt(z.max)}   (target ≤ 17 ms)`);
  console.log(`zoom/pan frame interval (rAF to rAF):  median ${fmt(zr.median)}, p95 ${fmt(zr.p95)}, max ${fmt(zr.max)}   (target p95 ≤ 17 ms)`);
  console.log(`lane scroll step, dispatch + paint (${sc.n} steps): median ${fmt(sc.median)}, p95 ${fmt(sc.p95)}, max ${fmt(sc.max)}`);
  console.log(`cursor frame interval while playing:   median ${fmt(cu.median)}, p95 ${fmt(cu.p95)}, max ${fmt(cu.max)}`);
  if (heapMb) console.log(`JS heap after the run: ${heapMb.toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
