import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnvelope, type SummaryEnvelope } from './headers.ts';
import { encodeSummary, type SummaryPublisher } from './publisher.ts';
import type { SummaryRecord } from './summary-record.ts';

/** One line of a summary file: what a Kafka consumer would have received. */
export interface FileSummary {
  readonly topic: string;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: unknown;
  readonly publishedAt: string;
}

/**
 * The local stand-in for a broker when none is configured: appends each summary as a JSON line to
 * `<directory>/<topic>.jsonl`, with the same key, headers and size limit as the Kafka publisher. `publish` resolves
 * once the line is written. Appends to one file are serialized, so a stream's summaries stay in order.
 */
export function createFileSummarySink(options: { directory: string }): SummaryPublisher {
  const { directory } = options;
  const tails = new Map<string, Promise<void>>();
  let ready: Promise<unknown> | undefined;

  return {
    publish(record: SummaryRecord): Promise<void> {
      let line: string;
      try {
        const encoded = encodeSummary(record);
        const entry = {
          topic: encoded.topic,
          key: encoded.key,
          headers: encoded.headers,
          value: JSON.parse(encoded.value) as unknown,
          publishedAt: new Date().toISOString(),
        } satisfies FileSummary;
        line = `${JSON.stringify(entry)}\n`;
      } catch (error) {
        return Promise.reject(error);
      }
      ready ??= mkdir(directory, { recursive: true });
      const file = path.join(directory, `${record.topic}.jsonl`);
      const written = (tails.get(file) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => ready)
        .then(() => appendFile(file, line, 'utf8'));
      tails.set(file, written);
      return written;
    },
    async close() {
      await Promise.allSettled(tails.values());
    },
  };
}

/** Reads back what a file sink wrote (all topics, or one), in write order per topic, with parsed envelopes. */
export async function readFileSummaries(
  directory: string,
  topic?: string,
): Promise<Array<FileSummary & { readonly envelope: SummaryEnvelope | undefined }>> {
  let files: string[];
  try {
    files = topic ? [`${topic}.jsonl`] : (await readdir(directory)).filter((f) => f.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  const out: Array<FileSummary & { envelope: SummaryEnvelope | undefined }> = [];
  for (const file of files) {
    const text = await readFile(path.join(directory, file), 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as FileSummary;
      out.push({ ...entry, envelope: parseEnvelope(entry.headers) });
    }
  }
  return out;
}
