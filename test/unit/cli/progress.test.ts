import { describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress } from '../../../src/cli/progress.ts';

describe('progress bars', () => {
  it('draw a bar, a percentage, counts and a rate when the total is known', () => {
    const line = renderProgress({ label: 'rebuild balances', done: 450, total: 1000, ratePerSecond: 120, width: 20 });
    expect(line).toBe('rebuild balances [#########-----------]  45%  450/1,000 events  120/s');
  });

  it('show the count alone while the total is unknown', () => {
    expect(renderProgress({ label: 'replay', done: 1234, total: undefined, ratePerSecond: 10 })).toBe(
      'replay  1,234 events  10/s',
    );
  });

  it('never overflow when more is done than was estimated', () => {
    const line = renderProgress({ label: 'x', done: 130, total: 100, ratePerSecond: 0, width: 10 });
    expect(line).toContain('[##########] 100%');
  });

  it('print one line per tenth on a pipe, and the final line at the end', () => {
    let text = '';
    let now = 0;
    const bar = createProgressBar({ write: (s: string) => (text += s) }, 'rebuild', { now: () => now });
    for (let done = 0; done <= 100; done += 5) {
      now += 100;
      bar.update(done, 100);
    }
    bar.finish('Rebuilt 100 events.');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines.at(-2)).toContain('100%');
    expect(lines.at(-1)).toBe('Rebuilt 100 events.');
  });

  it('redraw in place on a terminal', () => {
    let text = '';
    let now = 0;
    const bar = createProgressBar({ write: (s: string) => (text += s), isTTY: true }, 'rebuild', { now: () => now });
    now = 1000;
    bar.update(50, 100);
    bar.finish();
    expect(text.startsWith('\rrebuild [')).toBe(true);
    expect(text.endsWith('\x1b[K\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });
});
