/**
 * The synth figures the READMEs quote are those of the synth table of bench/README.md (between
 * `<!-- synth:start -->` and `<!-- synth:end -->`, written by bench/synth.ts). The table is
 * rewritten whenever the bench runs again, so this reads it: when the figures change, the prose
 * that quotes them must change with them.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
/** A file's text with every run of white space as one space (prose wraps anywhere). */
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');

/** One row of the synth table: sizes, and library / raw as the table prints them (e.g. `1.56`). */
interface SynthRow {
  readonly services: number;
  readonly objects: number;
  readonly wallRatio: string;
  readonly cpuRatio: string;
}

function synthRows(): SynthRow[] {
  const text = fs.readFileSync(path.join(ROOT, 'bench/README.md'), 'utf8');
  const start = text.indexOf('<!-- synth:start -->');
  const end = text.indexOf('<!-- synth:end -->');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const rows: SynthRow[] = [];
  for (const line of text.slice(start, end).split('\n')) {
    // | services | objects | library (wall / CPU) | raw (wall / CPU) | 1.49× / **1.56×** | ...
    const cells = line.split('|').map((c) => c.trim());
    if (!/^\d+$/.test(cells[1] ?? '')) continue;
    const ratio = /^(\d+\.\d\d)× \/ \*\*(\d+\.\d\d)×\*\*$/.exec(cells[5] ?? '');
    expect({ line, ratio: ratio !== null }).toEqual({ line, ratio: true });
    rows.push({ services: Number(cells[1]), objects: Number(cells[2]), wallRatio: ratio![1], cpuRatio: ratio![2] });
  }
  return rows;
}

/** The text from the one place `start` stands to the end of the first `end` after it (so a failure shows only that). */
function sentence(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect({ start, found: from >= 0 && text.indexOf(start, from + 1) < 0 }).toEqual({ start, found: true });
  const to = text.indexOf(end, from);
  expect({ end, found: to >= 0 }).toEqual({ end, found: true });
  return text.slice(from, to + end.length);
}

/** 5000 -> `5,000`, as the prose writes numbers. */
const grouped = (n: number) => n.toLocaleString('en-US');

describe('the synth figures the READMEs quote are those of the bench table', () => {
  const rows = synthRows();

  test('the table has the two sizes the READMEs speak of', () => {
    expect(rows.map((r) => r.services)).toEqual([1000, 5000]);
  });

  test('README.md (Benchmarks) quotes the CPU ratios and the object count of the table', () => {
    const [small, large] = rows;
    expect(sentence(read('README.md'), 'Synth of ', '(the target is')).toBe(
      `Synth of ${grouped(small.services)} SecureServices (${grouped(small.objects)} objects, each service allowing one other, app-wide validation included), `
      + `measured as whole processes with module load, takes ${small.cpuRatio}× the CPU time of replaying the same objects as raw \`ApiObject\`s, `
      + `${large.cpuRatio}× at ${grouped(large.services)} (the target is`);
  });

  test('bench/README.md (the target) quotes the ratios of the table below it', () => {
    const [small, large] = rows;
    const quoted = [...read('bench/README.md').matchAll(/[\d.]+× \/ [\d.]+× CPU and [\d.]+× \/ [\d.]+× wall at [\d,]+ \/ [\d,]+ services in the table below/g)]
      .map((m) => m[0]);
    expect(quoted).toEqual([`${small.cpuRatio}× / ${large.cpuRatio}× CPU and ${small.wallRatio}× / ${large.wallRatio}× wall at `
      + `${grouped(small.services)} / ${grouped(large.services)} services in the table below`]);
  });
});
