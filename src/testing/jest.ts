/**
 * Jest matchers for reachability, outside the jsii surface (not exported from the package
 * index). Register them once, e.g. in a jest `setupFilesAfterEach` file or at the top of a test:
 *
 *   import 'cdk8s-secure-networking/lib/testing/jest';
 *
 *   expect(chart).toAllowConnection(web, api, Port.tcp(8080));
 *   expect(chart).toDenyConnection(web, db);
 *
 * The subject may be a Chart, an App or a NetworkAnalysis. A failing matcher prints the
 * analyzer's explanation.
 */
import { App, Chart } from 'cdk8s';
import { NetworkAnalysis } from '../analysis/network-analysis';
import { IPeer } from '../core/peer';
import { Port } from '../core/port';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The connection from `from` to `to` (on `port`, or on some port) is allowed. */
      toAllowConnection(from: IPeer, to: IPeer, port?: Port): R;
      /** The connection from `from` to `to` (on `port`, or on every port) is denied. */
      toDenyConnection(from: IPeer, to: IPeer, port?: Port): R;
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
  return function (this: jest.MatcherContext, subject: unknown, from: IPeer, to: IPeer, port?: Port): jest.CustomMatcherResult {
    const verdict = analysisOf(subject).explainConnection(from, to, port);
    const what = `${from.peerId} => ${to.peerId} on ${port ? port.toString() : 'any port'}`;
    const pass = verdict.allowed === expectAllowed;
    return {
      pass,
      message: () => `expected the connection ${what} ${this.isNot ? 'not ' : ''}to be ${expectAllowed ? 'allowed' : 'denied'}, but it is ${verdict.text}`,
    };
  };
}

/** The matchers, for `expect.extend(reachabilityMatchers)` when registering by hand. */
export const reachabilityMatchers = {
  toAllowConnection: matcher(true),
  toDenyConnection: matcher(false),
};

if (typeof expect !== 'undefined' && typeof (expect as any).extend === 'function') {
  expect.extend(reachabilityMatchers);
}
