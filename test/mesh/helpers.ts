import { ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { newChart } from '../util/synth';

/** A namespace `shop` in `mesh` with `web` (8080), `api` (http 80 -> 8080, metrics 9090) and `db` (pg 5432). */
export function meshShop(mesh: ServiceMesh) {
  const chart = newChart();
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'web:1', port: 8080 });
  const api = new SecureService(chart, 'Api', { namespace: ns, image: 'api:1', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] });
  const db = new SecureService(chart, 'Db', { namespace: ns, image: 'db:1', ports: [{ name: 'pg', port: 5432 }] });
  return { chart, ns, web, api, db };
}

/** Pods outside the charts under test, so traffic to control planes and from other namespaces can be asked about. */
export function outsideWorkloads(pods: Array<{ namespace: string; name: string; labels: { [k: string]: string } }>): any[] {
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  return [
    ...namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    ...pods.map((p) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: p.name, namespace: p.namespace },
      spec: {
        selector: { matchLabels: p.labels },
        template: { metadata: { labels: p.labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
      },
    })),
  ];
}
