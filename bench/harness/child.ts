import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessorChildConfig, ProcessorChildMessage } from '../child/processor.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'child', 'processor.ts');

/** A processor instance running in a child process, as seen from the benchmark. */
export interface ProcessorChild {
  readonly pid: number;
  /** events handled so far, as last reported */
  handled(): number;
  /** leases the instance owned at its last report */
  leases(): number;
  /** opens a gated instance's handlers */
  go(): void;
  /** highest peak RSS (VmHWM) reported so far, in MB */
  peakRssMb(): number;
  /** resolves once the child has reported at least `events` handled; rejects if it exits first or on timeout */
  waitForHandled(events: number, timeoutMs: number): Promise<void>;
  /** resolves when the child has loaded and is waiting for `start()` */
  ready(): Promise<void>;
  /** starts the child's processor */
  start(): void;
  /** graceful stop: the child stops its processor, reports and exits */
  stop(): Promise<void>;
}

export function startProcessorChild(
  config: ProcessorChildConfig,
  options: { maxOldSpaceMb?: number } = {},
): ProcessorChild {
  const child: ChildProcess = fork(childScript, [], {
    env: { ...process.env, TRIBUTARY_BENCH_CHILD: JSON.stringify(config) },
    execArgv: ['--import', 'tsx', ...(options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let handled = 0;
  let peak = 0;
  let leases = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.on('message', (message: ProcessorChildMessage) => {
    if (message.type === 'ready') markReady();
    handled = Math.max(handled, message.handled);
    peak = Math.max(peak, message.peakRssMb);
    if (message.type === 'progress') leases = message.leases;
    for (const listener of listeners) listener();
  });
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      for (const listener of listeners) listener();
      resolve();
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    pid: child.pid ?? -1,
    handled: () => handled,
    leases: () => leases,
    go: () => child.send('go'),
    ready: () =>
      Promise.race([ready, exit.then(() => Promise.reject(new Error('processor child exited before ready')))]),
    start: () => child.send('start'),
    peakRssMb: () => peak,
    waitForHandled: (events, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (handled >= events) return done(undefined);
          if (exited) return done(new Error(`processor child exited having handled ${handled} of ${events} events`));
        };
        const timer = setTimeout(
          () => done(new Error(`processor child handled ${handled} of ${events} events within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const done = (error: Error | undefined) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      }),
    stop: async () => {
      process.off('exit', killOnExit);
      if (exited) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
