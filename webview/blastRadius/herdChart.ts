/**
 * The recovery herd: TokenRequests per second around the end of the outage (mean line over a min–max
 * band across runs), a mark where the outage ends and the steady-state baseline. Seconds on the x axis
 * are counted from the end of the outage. ECharts from echarts/core with only the parts used; the hover
 * readout is a DOM tooltip (tooltip.ts): ECharts' HTML tooltip writes inline styles the CSP forbids.
 */
import * as echarts from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, MarkLineComponent, type AriaComponentOption, type GridComponentOption, type MarkLineComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { RecoveryHerd } from '../../src/sim/blastRadius/blastRadiusResult';
import { timeText } from '../../src/sim/blastRadius/blastRadiusText';
import { withAlpha, type Palette } from '../theme';
import type { Tooltip } from '../tooltip';

echarts.use([LineChart, AriaComponent, GridComponent, MarkLineComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<LineSeriesOption | GridComponentOption | MarkLineComponentOption | AriaComponentOption>;

const rate = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

export class HerdChart {
  readonly chart: echarts.EChartsType;
  private herd: RecoveryHerd | undefined;
  private outageEndMs = 0;

  constructor(
    readonly el: HTMLElement,
    private readonly tooltip: Tooltip,
    private palette: Palette,
    private readonly onPainted: () => void,
  ) {
    this.chart = echarts.init(el, undefined, { renderer: 'canvas' });
    this.chart.on('finished', () => this.onPainted());
    const zr = this.chart.getZr();
    zr.on('mousemove', (e) => this.hover(e.offsetX, e.offsetY, (e.event as MouseEvent | undefined)?.clientX, (e.event as MouseEvent | undefined)?.clientY));
    zr.on('globalout', () => this.tooltip.hide());
    new ResizeObserver(() => this.chart.resize()).observe(el);
  }

  show(herd: RecoveryHerd, outageEndMs: number): void {
    this.herd = herd;
    this.outageEndMs = outageEndMs;
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.render();
  }

  /** Seconds from the end of the outage at the start of bin i. */
  private x(i: number): number {
    const herd = this.herd as RecoveryHerd;
    return (herd.fromMs + i * herd.binMs - this.outageEndMs) / 1000;
  }

  private render(): void {
    const herd = this.herd;
    if (!herd) return;
    const p = this.palette;
    const blue = p.colors.blue;
    const low: Array<[number, number]> = [];
    const band: Array<[number, number]> = [];
    const mean: Array<[number, number]> = [];
    for (let i = 0; i < herd.mean.length; i++) {
      const x = this.x(i);
      const lo = herd.min[i] ?? 0;
      low.push([x, lo]);
      band.push([x, (herd.max[i] ?? lo) - lo]);
      mean.push([x, herd.mean[i] ?? 0]);
    }
    const text = { color: p.foreground, fontFamily: p.fontFamily, fontSize: 11 };
    const option: Option = {
      animation: false,
      backgroundColor: p.background,
      textStyle: { fontFamily: p.fontFamily, color: p.foreground },
      aria: {
        enabled: true,
        label: {
          description: `TokenRequests per second around the end of the outage: up to ${rate(herd.peakPerSecond.max)} per second at the peak, against a baseline of ${rate(herd.baselinePerSecond)} per second.`,
        },
      },
      grid: { left: 48, right: 24, top: 24, bottom: 40 },
      xAxis: {
        type: 'value',
        name: 'seconds after the outage ends',
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: text,
        min: 'dataMin',
        max: 'dataMax',
        // The ends are odd numbers of seconds and would crowd the round ticks next to them.
        axisLabel: { ...text, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => (v > 0 ? `+${v}` : String(v)) },
        axisLine: { lineStyle: { color: p.lines } },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: 'TokenRequests / s',
        nameTextStyle: { ...text, align: 'left' },
        axisLabel: text,
        axisLine: { show: true, lineStyle: { color: p.lines } },
        splitLine: { lineStyle: { color: p.grid } },
        min: 0,
      },
      series: [
        { id: 'low', type: 'line', data: low, stack: 'band', symbol: 'none', silent: true, lineStyle: { opacity: 0 }, z: 1 },
        {
          id: 'band',
          name: 'Min–max over runs',
          type: 'line',
          data: band,
          stack: 'band',
          symbol: 'none',
          silent: true,
          lineStyle: { opacity: 0 },
          areaStyle: { color: withAlpha(blue, p.contrastBorder ? 0.45 : 0.25) },
          z: 1,
        },
        {
          id: 'mean',
          name: 'Mean over runs',
          type: 'line',
          data: mean,
          symbol: 'none',
          lineStyle: { color: blue, width: 2 },
          itemStyle: { color: blue },
          z: 2,
          markLine: {
            silent: true,
            symbol: 'none',
            label: { ...text, position: 'insideEndTop' },
            data: [
              { xAxis: 0, name: 'Outage ends', label: { formatter: 'Outage ends', color: p.foreground }, lineStyle: { color: p.colors.red, type: 'solid', width: 1.5 } },
              { yAxis: herd.baselinePerSecond, name: 'Baseline', label: { formatter: `Baseline ${rate(herd.baselinePerSecond)}/s`, color: p.muted }, lineStyle: { color: p.muted, type: 'dashed', width: 1 } },
            ],
          },
        },
      ],
    };
    this.chart.setOption(option, { notMerge: true });
  }

  private hover(px: number, py: number, clientX: number | undefined, clientY: number | undefined): void {
    const herd = this.herd;
    if (!herd || herd.mean.length === 0 || clientX === undefined || clientY === undefined) return;
    if (!this.chart.containPixel('grid', [px, py])) {
      this.tooltip.hide();
      return;
    }
    const [xs] = this.chart.convertFromPixel('grid', [px, py]) as [number, number];
    const i = Math.min(herd.mean.length - 1, Math.max(0, Math.round(((this.outageEndMs + xs * 1000 - herd.fromMs) / herd.binMs))));
    const t = herd.fromMs + i * herd.binMs;
    const rel = Math.round((t - this.outageEndMs) / 1000);
    this.tooltip.show(
      {
        title: `${rel >= 0 ? '+' : ''}${rel} s after the outage ends`,
        swatch: this.palette.colors.blue,
        rows: [
          ['Time', timeText(t)],
          ['Mean', `${rate(herd.mean[i] ?? 0)} TokenRequests/s`],
          ['Range over runs', `${rate(herd.min[i] ?? 0)}–${rate(herd.max[i] ?? 0)}`],
        ],
      },
      clientX,
      clientY,
    );
  }
}
