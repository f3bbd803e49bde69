/*
 * Linkerd's chart skips ports 4567 and 4568 by default, inbound and outbound
 * (linkerd/linkerd2 version-2.16, charts/linkerd-control-plane/values.yaml
 * `proxyInit.ignoreInboundPorts: "4567,4568"`, `ignoreOutboundPorts: "4567,4568"`, passed to linkerd-init
 * as --inbound-ports-to-ignore / --outbound-ports-to-ignore in charts/partials/templates/_proxy-init.tpl).
 * Traffic on them never reaches the proxy: no mutual TLS, and the Server and AuthorizationPolicy
 * written for the port are never consulted. The library says so at construction instead of
 * rendering an authorization that does not apply.
 */
import { Size } from 'cdk8s';
import { Port } from '../../src/core/port';
import { ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart } from '../util/synth';

const warnings = (c: { node: { metadata: Array<{ type: string; data: unknown }> } }) => c.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data);

describe('Linkerd default skip ports', () => {
  test('a Galera-style set on 4567/4568 is warned that those ports bypass the proxy', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.linkerd() });
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = new HeadlessStatefulEndpoint(chart, 'Db', {
      namespace: ns,
      name: 'db',
      image: 'mariadb:11',
      replicas: 3,
      storage: { size: Size.gibibytes(1) },
      ports: [{ name: 'mysql', port: 3306 }, { name: 'galera', port: 4567 }, { name: 'ist', port: 4568 }, { name: 'sst', port: 4444 }],
      peerPorts: [Port.named('galera'), Port.named('ist'), Port.named('sst')],
    });
    spy.mockRestore();
    expect(warnings(db)).toEqual([
      'HeadlessStatefulEndpoint.ports: container ports 4567 ("galera"), 4568 ("ist") are skipped by the Linkerd proxy in its default installation ' +
      '(proxyInit.ignoreInboundPorts and ignoreOutboundPorts "4567,4568"): their traffic bypasses the proxy, so Linkerd neither encrypts nor authorizes it ' +
      'and only the NetworkPolicy guards it. Use other ports, or install Linkerd with those lists emptied.',
    ]);
  });

  test('other ports are not warned about', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.linkerd() });
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: ns, name: 'db', image: 'pg:16', ports: [{ name: 'pg', port: 5432 }] });
    expect(warnings(db)).toEqual([]);
  });
});
