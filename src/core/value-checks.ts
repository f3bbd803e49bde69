/*
 * Bad input to a value factory (`Peer.ipBlock('10.0.0.0/33')`, `Port.tcp(0)`,
 * `ClusterDns.kubeDns({ ports: [] })`) is reported where the value is used, so that the error
 * names the construct path and the field, which a caller in Python or Java has no stack line for:
 *
 *   storefront/Api: allowFrom(other): Peer.ipBlock('10.0.0.0/33'): "10.0.0.0/33" is not a CIDR; ...
 *
 * A factory still checks its arguments when it is called, in one place (its own code, with
 * `failCall`), but wraps its body in `checkedValue`: when a check fails, it returns an invalid
 * value that carries the message instead of throwing. Then:
 *
 * - every place that accepts a value checks it first (`requireUsable`, called by the guards of
 *   `guards.ts` and by `allowFrom`/`allowTo`) and throws `<path>: <field>: <call>: <message>`;
 * - an invalid value that reaches code that did not check it throws its message (without a path)
 *   on any use, so it can never be rendered;
 * - an invalid value that was never reported (made but not given to a construct, or given through
 *   a path that does not check) fails the app's synth validation, before any YAML is written
 *   (`unreportedValueProblems`, read by `AppValidation`).
 *
 * A factory called while another one builds its value (`ClusterDns.kubeDns` calls `Peer.pods`)
 * throws as before, so the outer factory's value carries the problem.
 */
import { failCall, raise, valueErrorCall, Where } from './errors';

/** The problem of an invalid value: the call that made it and the whole message. */
interface ValueProblem {
  /** The call, as messages name it (`Port.tcp(0)`). */
  readonly call: string;
  /** The message, starting with the call (`Port.tcp(0): port 0 is not a port; ...`). */
  readonly text: string;
}

/** The invalid values and their problems. */
const PROBLEMS = new WeakMap<object, ValueProblem>();

/** Invalid values whose problem has not been thrown yet, in the order they were made. */
const UNREPORTED = new Set<object>();

/** How many factories are building a value right now (nested calls throw instead). */
let building = 0;

/**
 * Runs a factory's `build`, which checks the arguments with `failCall` and returns the value.
 * When a check fails, returns an invalid value (an object whose prototype is `prototype`, so
 * `instanceof` holds) that carries the problem, to be reported where it is used.
 * @internal
 */
export function checkedValue<T extends object>(prototype: object, build: () => T): T {
  if (building > 0) return build();
  building++;
  try {
    return build();
  } catch (e) {
    const call = valueErrorCall(e);
    if (call === undefined) throw e;
    return invalidValue(prototype, { call, text: (e as Error).message }) as T;
  } finally {
    building--;
  }
}

/**
 * Throws, when `value` is an invalid value, `<field>: <its message>` from `where`: a construct
 * (its path starts the message) or a call (a factory that was given the value).
 * @internal
 */
export function requireUsable(where: Where, field: string, value: unknown): void {
  const problem = problemOf(value);
  if (!problem) return;
  UNREPORTED.delete(value as object);
  raise(where, `${field}: ${problem.text}`);
}

/**
 * The messages of invalid values whose problem was never thrown; they count as reported from
 * now on. Read by the app's synth validation.
 * @internal
 */
export function unreportedValueProblems(): string[] {
  const texts = [...UNREPORTED].map((v) => PROBLEMS.get(v)!.text);
  UNREPORTED.clear();
  return texts;
}

function problemOf(value: unknown): ValueProblem | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null ? PROBLEMS.get(value) : undefined;
}

/**
 * An object that stands for a value that could not be made. It reads as its call in messages
 * (`${port}` is `Port.tcp(0)`); reading anything else throws its message, so no code can render it.
 */
function invalidValue(prototype: object, problem: ValueProblem): object {
  const target = Object.create(prototype);
  const value: object = new Proxy(target, {
    get(t, key, receiver) {
      // Symbols (util.inspect, jsii's object ids), the constructor and `then` (a value is not a
      // promise) are read by runtimes, not by code that renders the value.
      if (typeof key === 'symbol' || key === 'constructor') return Reflect.get(t, key, receiver);
      if (key === 'then') return undefined;
      if (key === 'toString') return () => problem.call;
      UNREPORTED.delete(value);
      return failCall(problem.call, problem.text.slice(problem.call.length + 2));
    },
  });
  PROBLEMS.set(value, problem);
  UNREPORTED.add(value);
  return value;
}
