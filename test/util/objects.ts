/**
 * Finding objects in a list of manifests (plain JSON), as the tests assert on them. Imports
 * nothing, so that hand-written manifests (test/compliance/fixtures.ts) can use it without loading
 * cdk8s, the schemas or the library; test/util/synth.ts re-exports it for the construct tests.
 */

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
