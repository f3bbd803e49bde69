/**
 * The assertion every bad-input table shares: building the chart throws exactly `message`
 * during construction, so nothing is ever synthesized and no YAML is produced.
 */
import { Chart } from 'cdk8s';
import { newChart, synth } from './synth';

export function expectRefusedAtConstruction(build: (chart: Chart) => void, message: string): void {
  const chart = newChart();
  let constructed = false;
  let objects: any[] | undefined;
  expect(() => {
    build(chart);
    constructed = true;
    objects = synth(chart);
  }).toThrow(new Error(message));
  expect(constructed).toBe(false);
  expect(objects).toBeUndefined();
}
