import os from 'node:os';

/** The facts a reader needs to weigh the numbers: where and when they were measured. */
export interface MachineFacts {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
}

export function machineFacts(now = new Date()): MachineFacts {
  const cpus = os.cpus();
  return {
    date: now.toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}
