import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import type { RunSource, SimulationRun, SimulationRuns } from './simulationRuns';
import type { WorkerReply, WorkerRequest } from './simulationWorker';

/** How a run was asked for: a new run is listed in the Simulations view; re-runs are not. */
export type RunReason = RunSource | { kind: 'whatIf' } | { kind: 'restore' };

/** Runs scenarios in a worker thread with a progress notification, and records new runs. */
export class SimulationRunner {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: SimulationRuns,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(scenario: Scenario, title: string, reason: RunReason): Promise<Pick<SimulationRun, 'trace' | 'tookMs'>> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Simulating ${title}`, cancellable: true },
      (progress, cancel) => this.inWorker(scenario, progress, cancel),
    );
    const m = result.trace.meta;
    this.log.info(`simulated "${title}": ${m.lanesTotal} lanes, ${m.eventsTotal} events in ${result.tookMs} ms`);
    if (reason.kind !== 'whatIf' && reason.kind !== 'restore') {
      this.runs.add({ title, source: reason, finishedAt: Date.now(), tookMs: result.tookMs, scenario, trace: result.trace });
    }
    return result;
  }

  private inWorker(
    scenario: Scenario,
    progress: vscode.Progress<{ increment?: number; message?: string }>,
    cancel: vscode.CancellationToken,
  ): Promise<{ trace: Trace; tookMs: number }> {
    const worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist', 'simulationWorker.js').fsPath);
    let reported = 0;
    let cancelled: vscode.Disposable | undefined;
    return new Promise<{ trace: Trace; tookMs: number }>((resolve, reject) => {
      cancelled = cancel.onCancellationRequested(() => {
        void worker.terminate();
        reject(new vscode.CancellationError());
      });
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'progress') {
          const percent = Math.floor(reply.fraction * 100);
          progress.report({ increment: percent - reported, message: `${percent} %` });
          reported = percent;
        } else if (reply.kind === 'done') {
          resolve({ trace: reply.trace, tookMs: reply.tookMs });
        } else {
          reject(new Error(`the simulation failed: ${reply.message}`));
        }
      });
      worker.on('error', (err) => reject(new Error(`the simulation worker crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`the simulation worker exited with code ${code}`));
      });
      worker.postMessage({ scenario } satisfies WorkerRequest);
    }).finally(() => {
      // Whatever happened, end the worker and the cancellation listener.
      cancelled?.dispose();
      void worker.terminate();
    });
  }
}
