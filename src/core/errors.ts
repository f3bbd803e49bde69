import { IConstruct } from 'constructs';

/**
 * Throws an error that names the construct path, the field, what is wrong, and what to do:
 * `prod/Payments: SecureService.ports[1].port is 70000; a port must be 1-65535. Use ...`
 *
 * Messages are phrased in terms of this library's API. Plain `Error`s keep the public API
 * jsii-compatible (jsii cannot export subclasses of `Error`).
 *
 * @internal
 */
export function fail(scope: IConstruct, message: string): never {
  throw new Error(`${scope.node.path}: ${message}`);
}

/**
 * The id of a new construct, checked first: a second construct with the same id under one scope
 * is refused with the path and the advice, instead of the constructs library's bare error.
 * Used as `super(scope, uniqueId(scope, id, new.target.name))`.
 *
 * @internal
 */
export function uniqueId(scope: IConstruct, id: string, construct: string): string {
  const existing = scope?.node?.tryFindChild(id);
  if (existing) {
    const what = existing.constructor?.name ?? 'construct';
    throw new Error(`${scope.node.path || '(app)'}: new ${construct}(scope, '${id}'): there is already a ${what} with id '${id}' here; `
      + 'give each construct its own id (ids name the objects in the manifest, so they must differ).');
  }
  return id;
}

/**
 * Throws an error for a value class that has no construct path (`Port`, `Peer`): the message
 * starts with the call that was made, e.g. `Port.tcpRange(8080, 80): ...`. Inside a factory
 * wrapped in `checkedValue` (value-checks.ts) the error becomes an invalid value, refused where
 * it is used, with the construct path and the field in front of this message.
 *
 * @internal
 */
export function failCall(call: string, message: string): never {
  const error = new Error(`${call}: ${message}`);
  VALUE_ERRORS.set(error, call);
  throw error;
}

/** The errors thrown by `failCall`, with their call: what a value factory reports where the value is used. */
const VALUE_ERRORS = new WeakMap<object, string>();

/**
 * The call of an error thrown by `failCall` (a value class's check), or undefined for any other
 * error. Read by `checkedValue` (value-checks.ts).
 *
 * @internal
 */
export function valueErrorCall(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? VALUE_ERRORS.get(error) : undefined;
}

/** A construct (errors start with its path) or a call (`Peer.pods`) for value classes. @internal */
export type Where = IConstruct | string;

/** Throws `message` from `where`: `fail` for a construct, `failCall` for a call. @internal */
export function raise(where: Where, message: string): never {
  return typeof where === 'string' ? failCall(where, message) : fail(where, message);
}

/**
 * Where a problem with `field` of a call made on something that may belong to a construct
 * (`Connections` of a workload, or of a `Peer`) is reported, and the field as the message names
 * it: from `scope` with the call in front (`test/Api`, `allowTo(shop/db): ports[0]`) when there
 * is one, else from the call (`allowTo(shop/db)`, `ports[0]`). For the guards' `(where, field)`.
 * @internal
 */
export function callSite(scope: IConstruct | undefined, call: string, field: string): [Where, string] {
  return scope ? [scope, `${call}: ${field}`] : [call, field];
}

/**
 * Throws `<call>: <message>` about a call made on something that may belong to a construct: from
 * `scope` when there is one (its path first, `test/Api: allowTo(shop/db): ...`), else from the
 * call (`failCall`). See `callSite`.
 * @internal
 */
export function raiseCall(scope: IConstruct | undefined, call: string, message: string): never {
  return raise(...callSite(scope, call, message));
}

/**
 * Records a warning on `scope` (construct metadata of type `warning`, readable in tests as
 * `scope.node.metadata`) and prints it, since cdk8s has no warning channel of its own. Used when
 * a request is honoured but deserves attention ("Avoid errors if possible").
 *
 * @internal
 */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata('warning', message);
  // eslint-disable-next-line no-console
  console.warn(`[WARNING] ${scope.node.path}: ${message}`);
}
