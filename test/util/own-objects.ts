/*
 * Shared by the tests that hold a workload's own objects to the cdk8s-plus-28 objects (test/service/own-objects.test.ts,
 * test/stateful/own-objects.test.ts).
 */
import { ApiObject, Chart, IResolver, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver, ResolutionContext, Testing } from 'cdk8s';
import { validateManifests } from './synth';

/**
 * The manifests `build` writes (checked against the schemas), after reading the escape hatches `read` of each workload
 * it returns, in that order; with `resolvers`, an App with those resolvers.
 */
export function renderWorkloads<W, H extends keyof W>(build: (chart: Chart) => W[], read: H[] = [], resolvers?: IResolver[]): string {
  const chart = new Chart(Testing.app(resolvers ? { resolvers } : {}), 'test', { disableResourceNameHashes: true });
  for (const workload of build(chart)) for (const field of read) void workload[field];
  const objects = Testing.synth(chart);
  validateManifests(objects);
  return JSON.stringify(objects, undefined, 1);
}

/** A resolver that changes nothing: with it, every own object renders the cdk8s way (src/core/own-spec.ts). */
class NoChange implements IResolver {
  public resolve(_context: ResolutionContext): void {
    return;
  }
}

/** cdk8s's own resolvers and one that changes nothing, so that the own objects render the cdk8s way. */
export function cdk8sWayResolvers(): IResolver[] {
  return [new LazyResolver(), new ImplicitTokenResolver(), new NumberStringUnionResolver(), new NoChange()];
}

/** Every order of every non-empty set of `hatches` (15 orders of 3). */
export function readingOrders<H>(hatches: H[]): H[][] {
  const out: H[][] = [];
  const walk = (prefix: H[]) => {
    if (prefix.length > 0) out.push(prefix);
    for (const h of hatches) if (!prefix.includes(h)) walk([...prefix, h]);
  };
  walk([]);
  return out;
}

/** Adds an annotation, a label and a JSON patch to a workload's `serviceObject`, for `expectAddedToService`. */
export function addToServiceObject(serviceObject: ApiObject): void {
  serviceObject.metadata.addAnnotation('example.com/owner', 'payments');
  serviceObject.metadata.addLabel('example.com/tier', 'backend');
  serviceObject.addJsonPatch(JsonPatch.add('/spec/internalTrafficPolicy', 'Local'));
}

/** The Service of `manifests` (`renderWorkloads`) has what `addToServiceObject` added. */
export function expectAddedToService(manifests: string): void {
  const svc = JSON.parse(manifests).find((o: any) => o.kind === 'Service');
  expect(svc.metadata.annotations).toEqual({ 'example.com/owner': 'payments' });
  expect(svc.metadata.labels['example.com/tier']).toBe('backend');
  expect(svc.spec.internalTrafficPolicy).toBe('Local');
}

/**
 * The tests that hold the own objects of `construct` to its cdk8s-plus-28 objects, for each of `cases`: the same
 * manifests, key order included, whether or not the escape hatches `hatches` are read, in every order of every set
 * of them, and when the own objects render the cdk8s way.
 */
export function testOwnObjects<W, H extends keyof W>(construct: string, cases: Array<[string, (chart: Chart) => W[]]>, hatches: H[]): void {
  describe(`${construct} writes the objects cdk8s-plus-28 writes (cdk8s-plus-28 2.5.6)`, () => {
    test.each(cases)('%s: the same manifests whether or not the cdk8s-plus objects are made', (_, build) => {
      expect(renderWorkloads(build, hatches)).toBe(renderWorkloads(build));
    });

    test.each(cases)('%s: the same manifests in the same order whichever escape hatches are read, in any order', (_, build) => {
      const own = renderWorkloads(build);
      for (const order of readingOrders(hatches)) expect([order, renderWorkloads(build, order)]).toEqual([order, own]);
    });
  });

  describe('rendered the cdk8s way (a resolver given to the App), the own objects still write what cdk8s-plus-28 writes', () => {
    test.each(cases)('%s', (_, build) => {
      const own = renderWorkloads(build, [], cdk8sWayResolvers());
      expect(renderWorkloads(build, hatches, cdk8sWayResolvers())).toBe(own);
      expect(own).toBe(renderWorkloads(build));
    });
  });
}
