import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { TributaryError } from '../core/errors.ts';

/** A running librdkafka mock cluster. */
export interface KafkaMockCluster {
  /** `host:port` of each mock broker (plaintext, on 127.0.0.1): give these to kafkajs or `kafkaConfigFromBrokers` */
  readonly brokers: readonly string[];
  stop(): Promise<void>;
}

/** `kcat` is missing, or did not start the mock cluster. */
export class KafkaMockUnavailable extends TributaryError {
  readonly code = 'KafkaMockUnavailable';

  constructor(reason: string) {
    super(
      `The Kafka mock cluster could not start: ${reason}. It runs inside kcat (Debian: apt-get install kcat); ` +
        'tests that need it can be skipped with describe.skipIf(!kafkaMockAvailable()).',
    );
  }
}

let available: boolean | undefined;

/** True when `kcat` is installed, so `startKafkaMockCluster` can run. */
export function kafkaMockAvailable(): boolean {
  available ??= spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
  return available;
}

const bootstrapPattern = /bootstrap\.servers=([0-9.:,]+)/;
const startTimeoutMs = 10_000;

/**
 * Starts librdkafka's mock cluster (3 brokers) kept alive by a `kcat` consumer. Topics are created on first use with
 * 4 partitions; produce, fetch and consumer groups work with kafkajs; admin calls, SASL and transactions do not.
 * Throws `KafkaMockUnavailable` when kcat is missing or prints no bootstrap servers within 10 s.
 */
export async function startKafkaMockCluster(): Promise<KafkaMockCluster> {
  if (!kafkaMockAvailable()) throw new KafkaMockUnavailable('kcat is not installed');
  const child = spawn(
    'kcat',
    ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', '__keepalive', '-o', 'end', '-q'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  try {
    return { brokers: await readBootstrap(child), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readBootstrap(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (reason: string) => settle(() => reject(new KafkaMockUnavailable(reason)));
    const timer = setTimeout(
      () => fail(`kcat printed no bootstrap servers within ${startTimeoutMs} ms`),
      startTimeoutMs,
    );
    // The mock logs every request at debug level: stderr must keep being drained or kcat blocks on a full pipe.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (settled) return;
      buffered += chunk;
      const match = bootstrapPattern.exec(buffered);
      if (match?.[1]) {
        const brokers = match[1].split(',');
        settle(() => resolve(brokers));
      } else if (buffered.length > 1_000_000) {
        buffered = buffered.slice(-10_000);
      }
    });
    child.once('error', (error) => fail(`kcat failed to start (${error.message})`));
    child.once('exit', (code) => fail(`kcat exited with code ${code} before printing bootstrap servers`));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
