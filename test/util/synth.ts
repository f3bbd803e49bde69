/**
 * The synth helper every construct test uses: synthesize a chart (running all cdk8s
 * validations, as `cdk8s synth` does) and check each object against the Kubernetes schemas.
 */
import { Chart, Testing } from 'cdk8s';
import { SchemaOptions, validateManifests } from './schema';

export type { SchemaOptions } from './schema';
export { schemaProblems, validateManifests } from './schema';
export { ofKind, one } from './objects';

/** A fresh chart in a fresh app, with names free of hashes. */
export function newChart(id = 'test', namespace?: string): Chart {
  return new Chart(Testing.app(), id, { namespace, disableResourceNameHashes: true });
}

/** Synthesizes `chart` and validates every object against its schema. */
export function synth(chart: Chart, options: SchemaOptions = {}): any[] {
  const objects = Testing.synth(chart);
  validateManifests(objects, options);
  return objects;
}
