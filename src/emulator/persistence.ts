import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataDirectoryInUse } from './errors.ts';
import { type AccountRecord, parseRecord, serializeRecord } from './records.ts';

const LOCK_FILE = 'LOCK';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const lockedHere = new Set<string>();

/** One server per directory: two would interleave their journals. A lock left by a dead process is taken over. */
function lock(directory: string): void {
  const file = path.join(directory, LOCK_FILE);
  const key = path.resolve(directory);
  if (lockedHere.has(key)) throw new DataDirectoryInUse(directory, undefined);
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    lockedHere.add(key);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(fs.readFileSync(file, 'utf8'));
  if (owner !== process.pid && Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
    throw new DataDirectoryInUse(directory, owner);
  }
  fs.writeFileSync(file, String(process.pid));
  lockedHere.add(key);
}

/**
 * Persistence as generations of (snapshot, journal): `snapshot-<g>.jsonl` holds the state at the start of generation
 * g and `journal-<g>.jsonl` every change since, one JSON record a line. A new generation is written on close and when
 * the journal outgrows the data (snapshot to a temporary file, then renamed), so a crash at any point leaves a
 * complete generation behind.
 */
export class Journal {
  private pending: string[] = [];

  private constructor(
    private readonly directory: string,
    private generation: number,
    private fd: number,
  ) {}

  /** Opens the directory and returns the records to replay (latest snapshot, then its journal). */
  static open(directory: string): { journal: Journal; records: AccountRecord[]; journalRecords: number } {
    fs.mkdirSync(directory, { recursive: true });
    lock(directory);
    const generations = fs
      .readdirSync(directory)
      .map((name) => /^snapshot-(\d+)\.jsonl$/.exec(name)?.[1])
      .filter((g): g is string => g !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
    const generation = generations[0] ?? 0;
    const records: AccountRecord[] = [];
    let journalRecords = 0;
    for (const file of [`snapshot-${generation}.jsonl`, `journal-${generation}.jsonl`]) {
      const full = path.join(directory, file);
      if (!fs.existsSync(full)) continue;
      let offset = 0;
      for (const line of fs.readFileSync(full, 'utf8').split('\n')) {
        const end = offset + Buffer.byteLength(line) + 1;
        if (line.trim() !== '') {
          try {
            records.push(parseRecord(line));
            if (file.startsWith('journal')) journalRecords++;
          } catch {
            // A torn last line from a crash mid-append: everything before it is intact. Cut it off, or the records
            // appended after it would be unreadable on the next start.
            fs.truncateSync(full, offset);
            break;
          }
        }
        offset = end;
      }
    }
    const fd = fs.openSync(path.join(directory, `journal-${generation}.jsonl`), 'a');
    return { journal: new Journal(directory, generation, fd), records, journalRecords };
  }

  append(record: AccountRecord): void {
    this.pending.push(serializeRecord(record));
  }

  /** Writes appended records to the journal file (called before each response, so acknowledged writes are on disk). */
  flush(): void {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    fs.writeSync(this.fd, text);
  }

  /** Starts a new generation from a snapshot of the whole state and removes the old one. */
  compact(snapshot: Iterable<AccountRecord>): void {
    this.flush();
    const next = this.generation + 1;
    const temporary = path.join(this.directory, `snapshot-${next}.tmp`);
    const out = fs.openSync(temporary, 'w');
    let chunk: string[] = [];
    for (const record of snapshot) {
      chunk.push(serializeRecord(record));
      if (chunk.length >= 1000) {
        fs.writeSync(out, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) fs.writeSync(out, `${chunk.join('\n')}\n`);
    fs.fsyncSync(out);
    fs.closeSync(out);
    const nextJournal = fs.openSync(path.join(this.directory, `journal-${next}.jsonl`), 'w');
    fs.renameSync(temporary, path.join(this.directory, `snapshot-${next}.jsonl`));
    fs.closeSync(this.fd);
    for (const old of [`snapshot-${this.generation}.jsonl`, `journal-${this.generation}.jsonl`]) {
      fs.rmSync(path.join(this.directory, old), { force: true });
    }
    this.fd = nextJournal;
    this.generation = next;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.rmSync(path.join(this.directory, LOCK_FILE), { force: true });
    lockedHere.delete(path.resolve(this.directory));
  }
}
