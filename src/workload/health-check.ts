/*
 * Readiness and liveness checks of the hardened workloads, in this library's own terms, so that an
 * app on any cdk8s-plus version (`cdk8s init` gives cdk8s-plus-33) can set them: no cdk8s-plus class
 * in the API. Rendered through cdk8s-plus-28's Probe, so the manifest is the one a cdk8s-plus-28
 * `Probe` with the same settings gives.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { failCall } from '../core/errors';
import { optionalNumber, optionalObject, requireArray, requireString } from '../core/guards';
import { isPortNumber } from '../core/port';
import { checkedValue } from '../core/value-checks';

/**
 * An absolute HTTP path (`/healthz`, `/ready?full=1`): what `healthCheckPath` and
 * `HealthCheck.httpGet` accept.
 * @internal
 */
export const HTTP_PATH = /^\/[A-Za-z0-9/._~%?=&-]*$/;

/**
 * Timing and port of a `HealthCheck`. Unset fields are left to Kubernetes' defaults (cdk8s-plus
 * writes `failureThreshold: 3`), as with a cdk8s-plus `Probe`.
 */
export interface HealthCheckOptions {
  /**
   * The port checked (`httpGet`, `tcpSocket`; `exec` has none).
   * @default - the workload's first TCP port
   */
  readonly port?: number;
  /**
   * Seconds after the container started before the first check (>= 0).
   * @default - Kubernetes' default, 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between checks (>= 1).
   * @default - Kubernetes' default, 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a check times out (>= 1).
   * @default - Kubernetes' default, 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Failed checks in a row after which the container counts as failed (>= 1).
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Passed checks in a row after a failure for the container to count as healthy again (>= 1; a
   * liveness check must use 1).
   * @default - Kubernetes' default, 1
   */
  readonly successThreshold?: number;
}

/** The whole-number options and their minimum. */
const NUMBER_FIELDS: Array<[keyof HealthCheckOptions, number]> = [
  ['initialDelaySeconds', 0], ['periodSeconds', 1], ['timeoutSeconds', 1], ['failureThreshold', 1], ['successThreshold', 1],
];

/**
 * A readiness or liveness check of a SecureService's or HeadlessStatefulEndpoint's container
 * (`readinessCheck`, `livenessCheck`): an HTTP GET, a TCP connect or a command.
 */
export class HealthCheck {
  /**
   * An HTTP GET of `path`; any status from 200 to 399 passes.
   * @param path an absolute HTTP path, e.g. `/healthz`
   */
  public static httpGet(path: string, options: HealthCheckOptions = {}): HealthCheck {
    const call = `HealthCheck.httpGet(${JSON.stringify(path)})`;
    return checkedValue(HealthCheck.prototype, () => {
      requireString(call, 'path', path, "give an absolute HTTP path such as '/healthz'");
      if (!HTTP_PATH.test(path)) failCall(call, `path "${path}" is not an absolute HTTP path; give e.g. '/healthz'.`);
      checkOptions(call, options);
      return new HealthCheck(options, (o) => kplus.Probe.fromHttpGet(path, { ...o, port: options.port }), true);
    });
  }

  /** A TCP connect to the port; it passes when the connection opens. */
  public static tcpSocket(options: HealthCheckOptions = {}): HealthCheck {
    const call = 'HealthCheck.tcpSocket()';
    return checkedValue(HealthCheck.prototype, () => {
      checkOptions(call, options);
      return new HealthCheck(options, (o) => kplus.Probe.fromTcpSocket({ ...o, port: options.port }), true);
    });
  }

  /**
   * A command run in the container; it passes when it exits with 0.
   * @param command the program and its arguments, e.g. `['/bin/healthcheck']`
   */
  public static exec(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    const call = 'HealthCheck.exec()';
    return checkedValue(HealthCheck.prototype, () => {
      requireArray(call, 'command', command, "give the program and its arguments, e.g. ['/bin/healthcheck']",
        (item, f) => requireString(call, f, item, 'give a string'));
      if (command.length === 0) failCall(call, "command is empty; give the program and its arguments, e.g. ['/bin/healthcheck'].");
      if (options?.port !== undefined) failCall(call, 'options.port is set, but a command check uses no port; leave it out.');
      checkOptions(call, options);
      return new HealthCheck(options, (o) => kplus.Probe.fromCommand([...command], o), false);
    });
  }

  private constructor(
    private readonly options: HealthCheckOptions,
    private readonly make: (o: kplus.ProbeOptions) => kplus.Probe,
    private readonly usesPort: boolean) {}

  /**
   * Whether the check connects to a port and names none (the workload's first TCP port is used).
   * @internal
   */
  public get _needsPort(): boolean {
    return this.usesPort && this.options.port === undefined;
  }

  /** The success threshold given, if any. @internal */
  public get _successThreshold(): number | undefined {
    return this.options.successThreshold;
  }

  /**
   * The cdk8s-plus-28 Probe this check is (without a port of its own when none was given).
   * @internal
   */
  public _toProbe(): kplus.Probe {
    const o = this.options;
    const seconds = (s: number | undefined) => (s === undefined ? undefined : Duration.seconds(s));
    return this.make({
      initialDelaySeconds: seconds(o.initialDelaySeconds),
      periodSeconds: seconds(o.periodSeconds),
      timeoutSeconds: seconds(o.timeoutSeconds),
      failureThreshold: o.failureThreshold,
      successThreshold: o.successThreshold,
    });
  }
}

function checkOptions(call: string, options: HealthCheckOptions): void {
  optionalObject(call, 'options', options, 'give an options object, e.g. { periodSeconds: 5 }');
  if (options.port !== undefined) {
    optionalNumber(call, 'options.port', options.port, 'give a whole number 1-65535');
    if (!isPortNumber(options.port)) {
      failCall(call, `options.port is ${options.port}; a port must be a whole number 1-65535.`);
    }
  }
  for (const [field, min] of NUMBER_FIELDS) {
    const v = options[field];
    optionalNumber(call, `options.${field}`, v, `give a whole number >= ${min}`);
    if (v !== undefined && (!Number.isInteger(v) || v < min)) failCall(call, `options.${field} is ${v}; it must be a whole number >= ${min}.`);
  }
}
