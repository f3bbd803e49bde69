/**
 * Jest matchers for reachability, outside the jsii surface (not exported from the package
 * index). Register them once, e.g. in a jest `setupFilesAfterEach` file or at the top of a test:
 *
 *   import 'cdk8s-secure-networking/lib/testing/jest';
 *
 *   expect(chart).toAllowConnection(web, api, Port.tcp(8080));
 *   expect(chart).toDenyConnection(web, db);
 *   expect(refactoredChart).toAllowSameConnectionsAs(originalChart);
 *
 * The subject may be a Chart, an App or a NetworkAnalysis. A failing matcher prints the
 * analyzer's explanation.
 */
import { App, Chart } from 'cdk8s';
import { NetworkAnalysis } from '../analysis/network-analysis';
import { ConnectionChange, ConnectivityDiff, DiffOptions } from '../analysis/verdict';
import { IConnectable } from '../core/connections';
import { Port } from '../core/port';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The connection from `from` to `to` (on `port`, or on some port) is allowed. */
      toAllowConnection(from: IConnectable, to: IConnectable, port?: Port): R;
      /** The connection from `from` to `to` (on `port`, or on every port) is denied. */
      toDenyConnection(from: IConnectable, to: IConnectable, port?: Port): R;
      /**
       * The subject allows exactly the connections `other` allows (per protocol and port, IP
       * ranges included): "this refactor changes no connectivity". On failure, lists the
       * connections added and removed relative to `other`, with the rules that admit them.
       */
      toAllowSameConnectionsAs(other: unknown): R;
    }
  }
}

/** The analysis of a Chart, an App or a NetworkAnalysis. */
export function analysisOf(subject: unknown): NetworkAnalysis {
  if (subject instanceof NetworkAnalysis) return subject;
  if (subject instanceof Chart) return NetworkAnalysis.fromChart(subject);
  if (subject instanceof App) return NetworkAnalysis.fromApp(subject);
  throw new Error(`expected a Chart, an App or a NetworkAnalysis, got ${subject === null ? 'null' : typeof subject}`);
}

function matcher(expectAllowed: boolean) {
  return function (this: jest.MatcherContext, subject: unknown, from: IConnectable, to: IConnectable, port?: Port): jest.CustomMatcherResult {
    const verdict = analysisOf(subject).explainConnection(from, to, port);
    const what = `${from.connections.peer.peerId} => ${to.connections.peer.peerId} on ${port ? port.toString() : 'any port'}`;
    const pass = verdict.allowed === expectAllowed;
    return {
      pass,
      message: () => `expected the connection ${what} ${this.isNot ? 'not ' : ''}to be ${expectAllowed ? 'allowed' : 'denied'}, but it is ${verdict.text}`,
    };
  };
}

/**
 * The connections `after` allows that `before` does not (added), and those `before` allows that
 * `after` does not (removed); each a Chart, an App or a NetworkAnalysis.
 *
 * @example
 * expect(connectivityChanges(before, after)).toEqual({ added: [], removed: [] });
 */
export function connectivityChanges(before: unknown, after: unknown, options: DiffOptions = {}): ConnectivityDiff {
  return analysisOf(before).diff(analysisOf(after), options);
}

function sameConnections(this: jest.MatcherContext, subject: unknown, other: unknown): jest.CustomMatcherResult {
  const { added, removed } = connectivityChanges(other, subject, { explain: true });
  const pass = added.length === 0 && removed.length === 0;
  const list = (sign: string, changes: readonly ConnectionChange[]) =>
    changes.map((c) => `  ${sign} ${c.src} => ${c.dst} : ${c.conn}${c.explanation ? `\n      ${c.explanation}` : ''}`);
  return {
    pass,
    message: () => (pass
      ? 'expected the connections to differ, but both allow exactly the same connections'
      : ['expected the same connections; compared with the other, the subject', ...(added.length ? ['adds:', ...list('+', added)] : []),
        ...(removed.length ? ['removes:', ...list('-', removed)] : [])].join('\n')),
  };
}

/** The matchers, for `expect.extend(reachabilityMatchers)` when registering by hand. */
export const reachabilityMatchers = {
  toAllowConnection: matcher(true),
  toDenyConnection: matcher(false),
  toAllowSameConnectionsAs: sameConnections,
};

if (typeof expect !== 'undefined' && typeof (expect as any).extend === 'function') {
  expect.extend(reachabilityMatchers);
}
