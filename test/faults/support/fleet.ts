import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultChildConfig } from './processor-child.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'processor-child.ts');

/** A set of processor instances in child processes that a scenario can SIGKILL and restart at will. */
export interface Fleet {
  /** starts instance `slot` (again) and resolves once it runs */
  start(slot: number): Promise<void>;
  /** SIGKILL: no graceful stop, no checkpoint written, leases left to expire */
  kill(slot: number): Promise<void>;
  /** slots whose instance has started and not been killed or stopped */
  running(): number[];
  /** graceful stop of one instance: it drains, writes its checkpoints and releases its leases */
  stop(slot: number): Promise<void>;
  /** graceful stop of every running instance */
  stopAll(): Promise<void>;
  /** protocol violations the instances reported (see `checkedSink`) */
  violations(): readonly string[];
  /** the leases each running instance reads, by slot */
  owned(): Promise<Map<number, readonly string[]>>;
  /** each running instance's lease counters (processor stats), by slot */
  leaseCounters(): Promise<Map<number, LeaseCounters>>;
}

export interface LeaseCounters {
  readonly leasesAcquired: number;
  readonly leasesStolen: number;
  readonly leasesLost: number;
}

interface OwnedAnswer extends LeaseCounters {
  readonly type: 'owned';
  readonly owned: readonly string[];
}

export function createFleet(base: Omit<FaultChildConfig, 'instanceId'>): Fleet {
  const children = new Map<number, ChildProcess>();
  const generation = new Map<number, number>();
  const ready = new Set<number>();
  const violations: string[] = [];
  const all = new Set<ChildProcess>();
  const killAll = () => {
    for (const child of all) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function ask(): Promise<Map<number, OwnedAnswer>> {
    const answers = await Promise.all(
      [...ready].flatMap((slot) => {
        const child = children.get(slot);
        if (child === undefined) return [];
        const answer = new Promise<OwnedAnswer>((resolve) => {
          const listen = (message: { type?: string }) => {
            if (message.type !== 'owned') return;
            child.off('message', listen);
            resolve(message as OwnedAnswer);
          };
          child.on('message', listen);
        });
        child.send('owned');
        return [answer.then((owned) => [slot, owned] as const)];
      }),
    );
    return new Map(answers);
  }

  async function stop(slot: number) {
    const child = children.get(slot);
    if (!child) return;
    children.delete(slot);
    ready.delete(slot);
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }

  return {
    async start(slot) {
      const next = (generation.get(slot) ?? 0) + 1;
      generation.set(slot, next);
      const config: FaultChildConfig = { ...base, instanceId: `faults-${slot}-g${next}` };
      const child = fork(childScript, [], {
        env: { ...process.env, TRIBUTARY_FAULT_CHILD: JSON.stringify(config) },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      all.add(child);
      child.once('exit', () => all.delete(child));
      child.on('message', (message: { type?: string; message?: string }) => {
        if (message.type === 'violation') violations.push(`instance ${slot}: ${message.message}`);
      });
      children.set(slot, child);
      await new Promise<void>((resolve, reject) => {
        const ready = (message: { type?: string }) => {
          if (message.type !== 'ready') return;
          child.off('message', ready);
          resolve();
        };
        child.on('message', ready);
        child.once('exit', (code, signal) =>
          reject(new Error(`instance ${slot} exited (${code ?? signal}) before it ran`)),
        );
      });
      if (children.get(slot) === child) ready.add(slot);
    },
    async kill(slot) {
      const child = children.get(slot);
      if (!child) return;
      children.delete(slot);
      ready.delete(slot);
      child.kill('SIGKILL');
      await exited(child);
    },
    running: () => [...ready],
    stop,
    violations: () => violations,
    async owned() {
      return new Map([...(await ask())].map(([slot, answer]) => [slot, answer.owned]));
    },
    async leaseCounters() {
      return new Map(
        [...(await ask())].map(([slot, { leasesAcquired, leasesStolen, leasesLost }]) => [
          slot,
          { leasesAcquired, leasesStolen, leasesLost },
        ]),
      );
    },
    async stopAll() {
      await Promise.all([...children.keys()].map(stop));
      process.off('exit', killAll);
    },
  };
}
