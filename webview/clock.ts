/**
 * The virtual clock the user plays: a cursor time within [start, end], advanced at `speed` virtual ms
 * per real second while playing. The frame source and the real clock are injected (tests and the
 * benchmark drive it by hand).
 */

export interface FrameSource {
  request(cb: (now: number) => void): number;
  cancel(handle: number): void;
}

export const browserFrames: FrameSource = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

export interface Speed {
  label: string;
  /** Virtual ms per real second. */
  value: number;
}

export const SPEEDS: readonly Speed[] = [
  { label: '1 s/s (real time)', value: 1_000 },
  { label: '10 s/s', value: 10_000 },
  { label: '1 min/s', value: 60_000 },
  { label: '10 min/s', value: 600_000 },
  { label: '1 h/s', value: 3_600_000 },
  { label: '6 h/s', value: 21_600_000 },
  { label: '1 day/s', value: 86_400_000 },
];

/** The slowest speed that plays `spanMs` in at most ~60 s. */
export function defaultSpeed(spanMs: number): number {
  const wanted = spanMs / 60;
  return (SPEEDS.find((s) => s.value >= wanted) ?? (SPEEDS[SPEEDS.length - 1] as Speed)).value;
}

export type ClockListener = (now: number, cause: 'play' | 'set') => void;

export class VirtualClock {
  private t: number;
  private lo: number;
  private hi: number;
  private frame: number | undefined;
  private lastReal: number | undefined;
  speed: number;
  private readonly listeners = new Set<ClockListener>();
  private readonly playListeners = new Set<(playing: boolean) => void>();

  constructor(
    start: number,
    end: number,
    speed: number,
    private readonly frames: FrameSource = browserFrames,
  ) {
    this.lo = start;
    this.hi = end;
    this.t = start;
    this.speed = speed;
  }

  get now(): number {
    return this.t;
  }

  get playing(): boolean {
    return this.frame !== undefined;
  }

  get range(): [number, number] {
    return [this.lo, this.hi];
  }

  setRange(start: number, end: number): void {
    this.lo = start;
    this.hi = end;
    this.set(Math.min(Math.max(this.t, start), end));
  }

  onChange(l: ClockListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onPlayingChange(l: (playing: boolean) => void): () => void {
    this.playListeners.add(l);
    return () => this.playListeners.delete(l);
  }

  set(t: number): void {
    const clamped = Math.min(Math.max(t, this.lo), this.hi);
    this.t = clamped;
    for (const l of this.listeners) l(clamped, 'set');
  }

  play(): void {
    if (this.playing) return;
    if (this.t >= this.hi) this.set(this.lo);
    this.lastReal = undefined;
    this.frame = this.frames.request(this.tick);
    for (const l of this.playListeners) l(true);
  }

  pause(): void {
    if (this.frame === undefined) return;
    this.frames.cancel(this.frame);
    this.frame = undefined;
    for (const l of this.playListeners) l(false);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  dispose(): void {
    this.pause();
    this.listeners.clear();
    this.playListeners.clear();
  }

  private readonly tick = (real: number): void => {
    const dt = this.lastReal === undefined ? 0 : Math.min(real - this.lastReal, 250);
    this.lastReal = real;
    const next = Math.min(this.t + (dt * this.speed) / 1000, this.hi);
    this.t = next;
    for (const l of this.listeners) l(next, 'play');
    if (next >= this.hi) {
      this.frame = undefined;
      for (const l of this.playListeners) l(false);
      return;
    }
    this.frame = this.frames.request(this.tick);
  };
}
