/**
 * Runs one simulation off the extension host's main thread, so a 10,000-pod scenario neither freezes
 * VS Code nor hides its progress. Protocol: the parent posts { scenario }; the worker posts
 * { progress } now and then and finally { trace } or { error }.
 */
import { parentPort } from 'node:worker_threads';
import { runScenario } from '../sim/engine/run';
import type { Scenario } from '../sim/scenario/types';

export type WorkerRequest = { scenario: Scenario };
export type WorkerReply =
  | { kind: 'progress'; fraction: number }
  | { kind: 'done'; trace: ReturnType<typeof runScenario>; tookMs: number }
  | { kind: 'error'; message: string };

const port = parentPort;
if (port) {
  port.once('message', (request: WorkerRequest) => {
    const started = performance.now();
    let lastPosted = -1;
    try {
      const trace = runScenario(request.scenario, {
        onProgress: (fraction) => {
          // A few dozen updates are plenty for a progress bar.
          if (fraction - lastPosted >= 0.02 || fraction >= 1) {
            lastPosted = fraction;
            port.postMessage({ kind: 'progress', fraction } satisfies WorkerReply);
          }
        },
      });
      port.postMessage({ kind: 'done', trace, tookMs: Math.round(performance.now() - started) } satisfies WorkerReply);
    } catch (err) {
      port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
}
