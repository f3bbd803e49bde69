/*
 * Type guards for input that TypeScript's types would stop but jsii callers (Python, Java, Go,
 * .NET) and plain JavaScript can pass: a missing required prop, null, NaN, a string for a number,
 * a string for a list. Constructs and factories call them first, before a value is used, so such
 * input raises our error instead of a TypeError or a manifest the API server rejects.
 *
 * Every guard throws `<where>: <field> is <the value>; <what to do>.`, where `where` is a
 * construct (its path starts the message) or a call for value classes (`Port.named(80)`).
 * Guards check the type only; ranges and formats stay with the construct, in its own words.
 * The guards that accept objects first refuse a value that a factory made from bad input
 * (`requireUsable`, value-checks.ts): the field is named, then the factory's own message.
 */
import { IConstruct } from 'constructs';
import { fail, raise, Where } from './errors';
import { requireUsable } from './value-checks';

/**
 * How a value reads in a message after "is": `not set`, `null`, `NaN`, `the number 42`,
 * `the string "8080"`, `a list`, `an object`, `a Port`.
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** Throws `<field> is <the value>; <advice>.` from `where`: for shapes the guards below do not cover. @internal */
export function invalid(where: Where, field: string, value: unknown, advice: string): never {
  return raise(where, `${field} is ${describeValue(value)}; ${advice}.`);
}

/** A plain value object (not null, not a list). @internal */
export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The props of a construct: an object, or nothing when every prop is optional (`optional`).
 * @internal
 */
export function requireProps(scope: IConstruct, construct: string, props: unknown, advice: string, optional = false): void {
  if (optional && props === undefined) return;
  if (!isObject(props)) fail(scope, `${construct} props are ${describeValue(props)}; ${advice}.`);
}

/** Throws unless `value` is an object (not null, not a list). @internal */
export function requireObject(where: Where, field: string, value: unknown, advice: string): asserts value is { [key: string]: unknown } {
  requireUsable(where, field, value);
  if (!isObject(value)) invalid(where, field, value, advice);
}

/** Like `requireObject`, but undefined is allowed. @internal */
export function optionalObject(where: Where, field: string, value: unknown, advice: string): void {
  if (value !== undefined) requireObject(where, field, value, advice);
}

/** Throws unless `value` is a string. @internal */
export function requireString(where: Where, field: string, value: unknown, advice: string): asserts value is string {
  if (typeof value !== 'string') invalid(where, field, value, advice);
}

/** Like `requireString`, but undefined is allowed. @internal */
export function optionalString(where: Where, field: string, value: unknown, advice: string): void {
  if (value !== undefined) requireString(where, field, value, advice);
}

/** Throws unless `value` is a number (NaN included: ranges are the caller's, in its own words). @internal */
export function requireNumber(where: Where, field: string, value: unknown, advice: string): asserts value is number {
  if (typeof value !== 'number') invalid(where, field, value, advice);
}

/** Like `requireNumber`, but undefined is allowed. @internal */
export function optionalNumber(where: Where, field: string, value: unknown, advice: string): void {
  if (value !== undefined) requireNumber(where, field, value, advice);
}

/** Throws unless `value` is undefined, true or false. @internal */
export function optionalBoolean(where: Where, field: string, value: unknown, advice: string): void {
  if (value !== undefined && typeof value !== 'boolean') invalid(where, field, value, advice);
}

/** Throws unless `value` is one of the values of the enum `values` (`Object.values(Protocol)`). @internal */
export function requireEnum(where: Where, field: string, value: unknown, values: readonly string[], enumName: string): void {
  if (!values.includes(value as string)) invalid(where, field, value, `use a ${enumName} value (${values.join(', ')})`);
}

/** Like `requireEnum`, but undefined is allowed. @internal */
export function optionalEnum(where: Where, field: string, value: unknown, values: readonly string[], enumName: string): void {
  if (value !== undefined) requireEnum(where, field, value, values, enumName);
}

/**
 * Throws unless `value` is a list, then checks each item with `each(item, '<field>[i]')`.
 * @internal
 */
export function requireArray(where: Where, field: string, value: unknown, advice: string,
  each?: (item: unknown, itemField: string) => void): asserts value is unknown[] {
  if (!Array.isArray(value)) invalid(where, field, value, advice);
  if (each) value.forEach((item, i) => each(item, `${field}[${i}]`));
}

/** Like `requireArray`, but undefined is allowed. @internal */
export function optionalArray(where: Where, field: string, value: unknown, advice: string,
  each?: (item: unknown, itemField: string) => void): void {
  if (value !== undefined) requireArray(where, field, value, advice, each);
}

/** A list of strings (`['/tmp']`); undefined is allowed. @internal */
export function optionalStringArray(where: Where, field: string, value: unknown, advice: string, itemAdvice: string): void {
  optionalArray(where, field, value, advice, (item, f) => requireString(where, f, item, itemAdvice));
}

/**
 * A map of strings (labels, environment variables); undefined is allowed. A bad entry is named
 * `<field>["<key>"]`.
 * @internal
 */
export function optionalStringMap(where: Where, field: string, value: unknown, advice: string, valueAdvice: string): void {
  if (value !== undefined) requireStringMap(where, field, value, advice, valueAdvice);
}

/** Like `optionalStringMap`, but the map is required. @internal */
export function requireStringMap(where: Where, field: string, value: unknown, advice: string,
  valueAdvice: string): asserts value is { [key: string]: string } {
  requireObject(where, field, value, advice);
  for (const k of Object.keys(value)) {
    const v = value[k];
    // The entry's field name is written only for a bad value.
    if (typeof v !== 'string') requireString(where, `${field}[${JSON.stringify(k)}]`, v, valueAdvice);
  }
}

/** A class, private constructor or not (`Port`, `Size`): what `instanceof` needs. @internal */
export interface ClassOf<T> {
  readonly prototype: T;
}

/** Throws unless `value` is an instance of `type` (a class of this library or cdk8s). @internal */
export function requireInstance<T>(where: Where, field: string, value: unknown, type: ClassOf<T>, advice: string): asserts value is T {
  requireUsable(where, field, value);
  if (!Object.prototype.isPrototypeOf.call(type.prototype, value as object)) invalid(where, field, value, advice);
}

/** Like `requireInstance`, but undefined is allowed. @internal */
export function optionalInstance<T>(where: Where, field: string, value: unknown, type: ClassOf<T>, advice: string): void {
  if (value !== undefined) requireInstance(where, field, value, type, advice);
}

/**
 * Throws unless `value` is an `IPeer` (a construct of this library, a namespace or a `Peer.*()`
 * value): checked by shape, since peers are interfaces. `withConnections` also requires its
 * `connections` (a construct still being built has none yet when it writes its own rules).
 * @internal
 */
export function requirePeer(where: Where, field: string, value: unknown, advice: string, withConnections = false): void {
  requireUsable(where, field, value);
  const peer = isObject(value) && typeof value.peerId === 'string' && typeof value.toPeerSpecs === 'function'
    && (!withConnections || isObject(value.connections));
  if (!peer) invalid(where, field, value, advice);
}

/** The labels prop of a construct: a map of strings. @internal */
export function optionalLabels(where: Where, field: string, value: unknown): void {
  optionalStringMap(where, field, value, "give a map of label keys to values, e.g. { tier: 'web' }", 'label values are strings, so quote it');
}

/**
 * The shape of `ServicePortSpec` entries (a list of `{ name, port, targetPort?, protocol?, nodePort? }`);
 * undefined is allowed. Ranges, names and uniqueness are checked by the construct.
 * @internal
 */
export function optionalPortSpecs(where: Where, field: string, value: unknown, protocols: readonly string[]): void {
  optionalArray(where, field, value, "give a list of ports, e.g. [{ name: 'http', port: 8080 }]", (item, f) => {
    requireObject(where, f, item, "give a port such as { name: 'http', port: 8080 }");
    requireString(where, `${f}.name`, item.name, "give a port name such as 'http'");
    requireNumber(where, `${f}.port`, item.port, 'give a port number 1-65535');
    optionalNumber(where, `${f}.targetPort`, item.targetPort, 'give a port number 1-65535, or omit it to use the port');
    optionalNumber(where, `${f}.nodePort`, item.nodePort, 'give a port number 30000-32767, or omit it');
    optionalEnum(where, `${f}.protocol`, item.protocol, protocols, 'Protocol');
  });
}
