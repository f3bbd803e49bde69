/**
 * A module loaded on first use rather than with the library (issue 16, synth cost: `require` of the
 * library is paid by every `cdk8s synth`). The generated CRD classes of src/imports and the YAML
 * parsers are large; an app that builds no Gateway, mesh or guardrail object never needs them.
 *
 * At the use site, the types come from an `import type` (erased), the values from this helper:
 *
 *   import type * as gwTypes from '../imports/gateway.networking.k8s.io';
 *   // eslint-disable-next-line @typescript-eslint/no-require-imports
 *   const gw = lazyModule((): typeof gwTypes => require('../imports/gateway.networking.k8s.io'));
 *   new gw.HttpRoute(scope, 'Route', { ... });   // loads the module here, once
 *
 * The `require` stays at the use site so that its path resolves from that file.
 *
 * @internal
 */
export function lazyModule<T extends object>(load: () => T): T {
  let mod: T | undefined;
  return new Proxy({} as T, {
    get: (_target, key) => (mod ??= load())[key as keyof T],
  });
}
