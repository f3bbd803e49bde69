/**
 * The assertion every bad-input table shares: building the chart throws exactly `message`
 * during construction, so nothing is ever synthesized and no YAML is produced.
 */
import { Chart } from 'cdk8s';
import { newChart, synth } from './synth';
import { ClusterDns, DenyAllNamespace, IPeer, NamespaceRef, Peer, Port, SecureService } from '../../src';

export function expectRefusedAtConstruction(build: (chart: Chart) => void, message: string): void {
  const chart = newChart();
  let constructed = false;
  let objects: any[] | undefined;
  expect(() => {
    build(chart);
    constructed = true;
    objects = synth(chart);
  }).toThrow(new Error(message));
  expect(constructed).toBe(false);
  expect(objects).toBeUndefined();
}

/**
 * Where each kind of value is given to a construct in `errorWhereUsed`, in chart `test`:
 * a `Port` to `test/Web`'s `allowTo(Peer.namespace('ops'), port)` (`test/Web: allowTo(ns:ops): ports[0]: `),
 * a `ClusterDns` to `new DenyAllNamespace(chart, 'Ns', { clusterDns })` (`test/Ns: DenyAllNamespace.clusterDns: `),
 * a `NamespaceRef` to `new SecureService(chart, 'Svc', { namespace })` (`test/Svc: SecureService.namespace: `),
 * any other value (a peer) to `test/Web`'s `allowFrom(peer)` (`test/Web: allowFrom(other): `).
 */
export function useValue(chart: Chart, value: unknown): void {
  const image = 'ghcr.io/acme/app:1.0.0';
  if (value instanceof Port) {
    new SecureService(chart, 'Web', { image, port: 8080 }).allowTo(Peer.namespace('ops'), value);
  } else if (value instanceof ClusterDns) {
    new DenyAllNamespace(chart, 'Ns', { clusterDns: value });
  } else if (value instanceof NamespaceRef) {
    new SecureService(chart, 'Svc', { image, port: 8080, namespace: value });
  } else {
    new SecureService(chart, 'Web', { image, port: 8080 }).allowFrom(value as IPeer);
  }
}

/**
 * The message of the error raised when the value `make` returns is given to a construct
 * (`useValue`): a value made from bad input is refused there, with the construct path and the
 * field. Nothing may be synthesized; 'no error' when nothing was refused.
 */
export function errorWhereUsed(make: (chart: Chart) => unknown): string {
  const chart = newChart();
  let message = 'no error';
  try {
    useValue(chart, make(chart));
  } catch (e) {
    message = (e as Error).message;
  }
  return message;
}

/**
 * The message of the synth error for a value made from bad input and given to no construct:
 * the app's validation reports it before anything is written. 'no error' when synth passed.
 */
export function errorOfUnusedValue(make: () => unknown): string {
  const chart = newChart();
  new DenyAllNamespace(chart, 'Ns');
  make();
  try {
    synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}
