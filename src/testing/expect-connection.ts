import { App, Chart } from 'cdk8s';
import { NetworkAnalysis } from '../analysis/network-analysis';
import { Verdict } from '../analysis/verdict';
import { IConnectable } from '../core/connections';
import { Port } from '../core/port';

/**
 * One-line reachability assertions for unit tests, in any test framework: the assertion
 * throws an `Error` whose message is the analyzer's explanation when it does not hold.
 *
 * Peers are this library's constructs or `Peer` values; see `NetworkAnalysis.isConnectionAllowed`
 * for what a peer of several workloads or addresses means.
 *
 * @example
 * ExpectConnection.inChart(chart).from(web).to(api).onPort(Port.tcp(8080)).isAllowed();
 * ExpectConnection.inChart(chart).from(web).to(db).isDenied();
 */
export class ExpectConnection {
  /** Assertions about the connections of a chart (synthesized once, here). */
  public static inChart(chart: Chart): ExpectConnection {
    return new ExpectConnection(NetworkAnalysis.fromChart(chart));
  }

  /** Assertions about the connections of every chart of an app. */
  public static inApp(app: App): ExpectConnection {
    return new ExpectConnection(NetworkAnalysis.fromApp(app));
  }

  /** Assertions about an analysis already made (e.g. from YAML files). */
  public static inAnalysis(analysis: NetworkAnalysis): ExpectConnection {
    return new ExpectConnection(analysis);
  }

  /** The analysis the assertions run on. */
  public readonly analysis: NetworkAnalysis;
  private source?: IConnectable;
  private destination?: IConnectable;
  private port?: Port;

  private constructor(analysis: NetworkAnalysis) {
    this.analysis = analysis;
  }

  /** The source of the connection. */
  public from(peer: IConnectable): ExpectConnection {
    const next = this.copy();
    next.source = peer;
    return next;
  }

  /** The destination of the connection. */
  public to(peer: IConnectable): ExpectConnection {
    const next = this.copy();
    next.destination = peer;
    return next;
  }

  /**
   * The destination port.
   * @default - any port: `isAllowed` holds if some connection is allowed
   */
  public onPort(port: Port): ExpectConnection {
    const next = this.copy();
    next.port = port;
    return next;
  }

  /** Asserts that the connection is allowed; throws with the explanation otherwise. */
  public isAllowed(): void {
    const verdict = this.evaluate('isAllowed');
    if (!verdict.allowed) {
      throw new Error(`Expected ${this.describe()} to be allowed, but it is ${verdict.text}`);
    }
  }

  /** Asserts that the connection is denied; throws with the explanation otherwise. */
  public isDenied(): void {
    const verdict = this.evaluate('isDenied');
    if (verdict.allowed) {
      throw new Error(`Expected ${this.describe()} to be denied, but it is ${verdict.text}`);
    }
  }

  /** The verdict, for assertions of your own. */
  public verdict(): Verdict {
    return this.evaluate('verdict');
  }

  private evaluate(call: string): Verdict {
    if (!this.source || !this.destination) {
      throw new Error(`ExpectConnection.${call}(): say which connection first, e.g. .from(web).to(api).${call}().`);
    }
    return this.analysis.explainConnection(this.source, this.destination, this.port);
  }

  private describe(): string {
    return `the connection ${this.source!.connections.peer.peerId} => ${this.destination!.connections.peer.peerId} on ${this.port ? this.port.toString() : 'any port'}`;
  }

  private copy(): ExpectConnection {
    const next = new ExpectConnection(this.analysis);
    next.source = this.source;
    next.destination = this.destination;
    next.port = this.port;
    return next;
  }
}
