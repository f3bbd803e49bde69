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
