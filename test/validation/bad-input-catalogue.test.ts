import { BAD_INPUTS, BadInput } from './bad-input-catalogue';
import { newChart, synth } from '../util/synth';

/** Runs one case: it must raise our plain Error with exactly its message (`<from>: <message>`), and produce no manifests. */
function expectOurError(c: BadInput) {
  const chart = newChart();
  let objects: any[] | undefined;
  let error: unknown;
  try {
    c.build(chart);
    objects = synth(chart);
  } catch (e) {
    error = e;
  }
  expect(objects).toBeUndefined();
  expect(error).toBeInstanceOf(Error);
  // Not a TypeError / RangeError: a plain Error raised by our checks, naming where it comes from.
  expect({ type: (error as Error).constructor.name, message: (error as Error).message })
    .toEqual({ type: 'Error', message: `${c.from}: ${c.message}` });
}

const fixed = BAD_INPUTS.filter((c) => !c.openDefect);
const open = BAD_INPUTS.filter((c) => c.openDefect);

describe('no invalid input produces a TypeError or YAML: every error is ours and names where it comes from', () => {
  test.each(fixed.map((c) => [c.description, c] as const))('%s', (_d, c) => expectOurError(c));
});

// Open defects found by this catalogue (reported; see BadInput.openDefect). Each still escapes our
// checks; `test.failing` turns red as soon as one is fixed, so its flag is removed with the fix.
// (`.each` refuses an empty table, so the block exists only while there are open defects.)
if (open.length > 0) {
  describe('open defects: inputs that still escape our checks', () => {
    test.failing.each(open.map((c) => [c.description, c] as const))('%s', (_d, c) => expectOurError(c));
  });
}

test('the catalogue lists at least 60 invalid inputs, each described once', () => {
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(60);
  expect(new Set(BAD_INPUTS.map((c) => c.description)).size).toBe(BAD_INPUTS.length);
});
