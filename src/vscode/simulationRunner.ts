import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import type { RunSource, SimulationRun, SimulationRuns, WhatIfOrigin } from './simulationRuns';
import type { WorkerReply, WorkerRequest } from './simulationWorker';

/** What a run carries besides its scenario and title (see SimulationRun). */
export interface RunExtras {
  whatIf?: WhatIfOrigin;
  anchorNow?: number;
  notice?: string;
}

/** Runs scenarios in a worker thread with a progress notification, and records every run in the Simulations view. */
export class SimulationRunner {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: SimulationRuns,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(scenario: Scenario, title: string, source: RunSource, extras: RunExtras = {}): Promise<SimulationRun> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Simulating ${title}`, cancellable: true },
      (progress, cancel) => this.inWorker(scenario, progress, cancel),
    );
    const m = result.trace.meta;
    this.log.info(`simulated "${title}": ${m.lanesTotal} lanes, ${m.eventsTotal} events in ${result.tookMs} ms`);
    return this.runs.add({ title, source, finishedAt: Date.now(), tookMs: result.tookMs, scenario, trace: result.trace, ...extras });
  }

  private inWorker(
    scenario: Scenario,
    progress: vscode.Progress<{ increment?: number; message?: string }>,
    cancel: vscode.CancellationToken,
  ): Promise<{ trace: Trace; tookMs: number }> {
    return runWorkerJob(this.extensionUri, { scenario }, progress, cancel, 'simulation', (reply) =>
      reply.kind === 'done' ? { trace: reply.trace, tookMs: reply.tookMs } : undefined,
    );
  }
}

/**
 * One job in a fresh simulation worker (dist/simulationWorker.js) with progress and cancellation
 * (terminating the worker). `answer` picks the job's final reply; `what` names the job in errors.
 */
export function runWorkerJob<R>(
  extensionUri: vscode.Uri,
  request: WorkerRequest,
  progress: vscode.Progress<{ increment?: number; message?: string }>,
  cancel: vscode.CancellationToken,
  what: string,
  answer: (reply: WorkerReply) => R | undefined,
): Promise<R> {
  const worker = new Worker(vscode.Uri.joinPath(extensionUri, 'dist', 'simulationWorker.js').fsPath);
  let reported = 0;
  let cancelled: vscode.Disposable | undefined;
  return new Promise<R>((resolve, reject) => {
    cancelled = cancel.onCancellationRequested(() => {
      void worker.terminate();
      reject(new vscode.CancellationError());
    });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'progress') {
        const percent = Math.floor(reply.fraction * 100);
        progress.report({ increment: percent - reported, message: `${percent} %` });
        reported = percent;
        return;
      }
      if (reply.kind === 'error') {
        reject(new Error(`the ${what} failed: ${reply.message}`));
        return;
      }
      const done = answer(reply);
      if (done !== undefined) resolve(done);
      else reject(new Error(`the ${what} worker answered with an unexpected ${reply.kind} reply`));
    });
    worker.on('error', (err) => reject(new Error(`the ${what} worker crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the ${what} worker exited with code ${code}`));
    });
    worker.postMessage(request);
  }).finally(() => {
    // Whatever happened, end the worker and the cancellation listener.
    cancelled?.dispose();
    void worker.terminate();
  });
}
