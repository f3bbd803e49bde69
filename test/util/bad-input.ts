/**
 * The assertion every bad-input table shares: building the chart throws exactly `message`
 * during construction, so nothing is ever synthesized and no YAML is produced.
 */
import { Chart } from 'cdk8s';
import { newChart, synth } from './synth';
import {
  ClusterDns, DenyAllNamespace, GatewayImplementation, IngressBackend, IngressClass, IngressController, IPeer, NamespaceRef, Peer, PolicyEngine,
  Port, SecureService, ServiceMesh, TlsCertificate, TlsGateway, TlsIngress,
} from '../../src';

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
 * Where each kind of value is given to a construct in `errorWhereUsed`, in chart `test` (a
 * SecureService `test/Web` serves the ingress and gateway backends):
 * - a `Port`: `web.allowTo(Peer.namespace('ops'), port)` (`test/Web: allowTo(ns:ops): ports[0]: `);
 * - a `ClusterDns`: `new DenyAllNamespace(chart, 'Ns', { clusterDns })` (`test/Ns: DenyAllNamespace.clusterDns: `);
 * - a `ServiceMesh`: `new DenyAllNamespace(chart, 'Ns', { mesh })` (`test/Ns: DenyAllNamespace.mesh: `);
 * - a `NamespaceRef`: `new SecureService(chart, 'Svc', { namespace })` (`test/Svc: SecureService.namespace: `);
 * - an `IngressController`: `new IngressClass(chart, 'Class', { controller })` (`test/Class: IngressClass.controller: `);
 * - a `TlsCertificate`: a TlsIngress `test/Ing` (`test/Ing: TlsIngress.certificate: `);
 * - an `IngressBackend`: a TlsIngress `test/Ing` (`test/Ing: TlsIngress.rules[0].backend: `);
 * - a `GatewayImplementation`: a TlsGateway `test/Gw` (`test/Gw: TlsGateway.implementation: `);
 * - a `PolicyEngine`: `PolicyEngine.use(chart, engine)` (`test: PolicyEngine.use(engine): `);
 * - any other value (a peer): `web.allowFrom(peer)` (`test/Web: allowFrom(other): `).
 */
export function useValue(chart: Chart, value: unknown): void {
  const image = 'ghcr.io/acme/app:1.0.0';
  const web = () => new SecureService(chart, 'Web', { image, port: 8080 });
  const rules = () => [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web()) }];
  if (value instanceof Port) {
    web().allowTo(Peer.namespace('ops'), value);
  } else if (value instanceof ClusterDns) {
    new DenyAllNamespace(chart, 'Ns', { clusterDns: value });
  } else if (value instanceof ServiceMesh) {
    new DenyAllNamespace(chart, 'Ns', { name: 'shop', mesh: value });
  } else if (value instanceof NamespaceRef) {
    new SecureService(chart, 'Svc', { image, port: 8080, namespace: value });
  } else if (value instanceof IngressController) {
    new IngressClass(chart, 'Class', { controller: value });
  } else if (value instanceof TlsCertificate) {
    new TlsIngress(chart, 'Ing', { controller: IngressController.traefik(), certificate: value, rules: rules() });
  } else if (value instanceof IngressBackend) {
    new TlsIngress(chart, 'Ing', { controller: IngressController.traefik(), certificate: TlsCertificate.secret('tls'), rules: [{ host: 'shop.example.com', backend: value }] });
  } else if (value instanceof GatewayImplementation) {
    new TlsGateway(chart, 'Gw', { implementation: value, certificate: TlsCertificate.secret('tls'), rules: rules() });
  } else if (value instanceof PolicyEngine) {
    PolicyEngine.use(chart, value);
  } else {
    web().allowFrom(value as IPeer);
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

/** The error message `f` throws, or 'no error'. */
export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e: any) {
    return e.message;
  }
  return 'no error';
}
