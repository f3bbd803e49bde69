/**
 * The synth helper every construct test uses: synthesize a chart (running all cdk8s
 * validations, as `cdk8s synth` does) and check each object against the Kubernetes schemas.
 */
import { Chart, Testing } from 'cdk8s';
import { SchemaOptions, validateManifests } from './schema';

export type { SchemaOptions } from './schema';
export { schemaProblems, validateManifests } from './schema';

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

/** The objects of one kind (optionally with one name). */
export function ofKind(objects: any[], kind: string, name?: string): any[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

/** The single object of a kind and name; fails when there is not exactly one. */
export function one(objects: any[], kind: string, name?: string): any {
  const found = ofKind(objects, kind, name);
  if (found.length !== 1) {
    const all = objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length} among: ${all}`);
  }
  return found[0];
}
