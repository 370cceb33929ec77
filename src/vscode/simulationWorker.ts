/**
 * Runs one simulation or one outage blast-radius analysis off the extension host's main thread, so a
 * 10,000-pod scenario neither freezes VS Code nor hides its progress. Protocol: the parent posts
 * { scenario } or { blastRadius }; the worker posts { progress } now and then and finally its answer
 * or { error }. Cancelling is terminating the worker.
 */
import { parentPort } from 'node:worker_threads';
import { runScenario } from '../sim/engine/run';
import { runBlastRadius } from '../sim/blastRadius/blastRadius';
import type { BlastRadiusInput } from '../sim/blastRadius/blastRadiusInput';
import type { BlastRadiusResult } from '../sim/blastRadius/blastRadiusResult';
import type { Scenario } from '../sim/scenario/types';

export type WorkerRequest = { scenario: Scenario } | { blastRadius: BlastRadiusInput };
export type WorkerReply =
  | { kind: 'progress'; fraction: number }
  | { kind: 'done'; trace: ReturnType<typeof runScenario>; tookMs: number }
  | { kind: 'blastRadius'; result: BlastRadiusResult; tookMs: number }
  | { kind: 'error'; message: string };

const port = parentPort;
if (port) {
  port.once('message', (request: WorkerRequest) => {
    const started = performance.now();
    let lastPosted = -1;
    const onProgress = (fraction: number): void => {
      // A few dozen updates are plenty for a progress bar.
      if (fraction - lastPosted >= 0.02 || fraction >= 1) {
        lastPosted = fraction;
        port.postMessage({ kind: 'progress', fraction } satisfies WorkerReply);
      }
    };
    const tookMs = (): number => Math.round(performance.now() - started);
    try {
      if ('blastRadius' in request) {
        const result = runBlastRadius(request.blastRadius, { onProgress });
        port.postMessage({ kind: 'blastRadius', result, tookMs: tookMs() } satisfies WorkerReply);
      } else {
        const trace = runScenario(request.scenario, { onProgress });
        port.postMessage({ kind: 'done', trace, tookMs: tookMs() } satisfies WorkerReply);
      }
    } catch (err) {
      port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
}
