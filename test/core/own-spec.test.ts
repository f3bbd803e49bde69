/**
 * The objects whose spec the library writes as JSON itself (src/core/own-spec.ts: a WorkloadPolicy's
 * NetworkPolicy, a workload's PodDisruptionBudget) render exactly what cdk8s renders from their
 * props, key order included, and fall back to cdk8s's rendering whenever cdk8s would change a value.
 */
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { addExamples } from '../../examples/charts/all-examples';
import { DenyAllNamespace, HeadlessStatefulEndpoint, IPeer, NetworkPolicyPeerSpec, Peer, Port, Protocol, SecureService, WorkloadPolicy } from '../../src';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

/** What cdk8s renders from the object's props: the generated class's own toJson. */
function cdk8sRendering(obj: any): any {
  // (`instanceof` on a cdk8s class is true for every ApiObject: cdk8s defines it as isApiObject.)
  if (k8s.KubeNetworkPolicy.prototype.isPrototypeOf(obj)) return k8s.KubeNetworkPolicy.prototype.toJson.call(obj);
  if (k8s.KubePodDisruptionBudget.prototype.isPrototypeOf(obj)) return k8s.KubePodDisruptionBudget.prototype.toJson.call(obj);
  throw new Error(`not an object with its own spec: ${obj.node.path}`);
}

function ownSpecObjects(app: App): ApiObject[] {
  const own = (c: any) => (k8s.KubeNetworkPolicy.prototype.isPrototypeOf(c) || k8s.KubePodDisruptionBudget.prototype.isPrototypeOf(c))
    && Object.getPrototypeOf(c) !== k8s.KubeNetworkPolicy.prototype && Object.getPrototypeOf(c) !== k8s.KubePodDisruptionBudget.prototype;
  return app.node.findAll().filter(own) as ApiObject[];
}

/** A peer outside the library, whose selector values cdk8s still has to resolve. */
class LazyLabelPeer implements IPeer {
  public readonly peerId = 'lazy-label';
  public readonly connections: any = undefined;
  public toPeerSpecs(): NetworkPolicyPeerSpec[] {
    return [{ podSelector: { matchLabels: { app: Lazy.any({ produce: () => 'resolved-later' }) as unknown as string } } }];
  }
}

function variedApp(app: App): { chart: Chart; api: SecureService } {
  const chart = new Chart(app, 'varied', { disableResourceNameHashes: true });
  const ns = new DenyAllNamespace(chart, 'Ns', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: ns, name: 'api', image: IMAGE, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'grpc', port: 9000 }, { name: 'stats', port: 5353, protocol: Protocol.UDP }] });
  const web = new SecureService(chart, 'Web', { namespace: ns, name: 'web', image: IMAGE, port: 8080, replicas: 3, labels: { 'tier': 'front', 'a.example.com/z': 'last', '0-first': 'x' } });
  const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: ns, name: 'db', image: IMAGE, ports: [{ name: 'pg', port: 5432 }] });
  web.allowTo(api, Port.named('http'));
  web.allowTo(db);
  api.allowTo(db, Port.tcp(5432));
  api.allowTo(Peer.ipBlock('192.168.0.0/16'), Port.tcpRange(6000, 6010), Port.udpRange(7000, 7001));
  api.allowFrom(Peer.namespace('monitoring'), Port.named('grpc'));
  api.allowFrom(Peer.namespaces({ labels: { team: 'ops', env: 'prod' } }), Port.udp(5353));
  api.allowTo(Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16', '10.2.0.0/16']), Port.HTTPS);
  api.allowTo(Peer.anyIpv4(), Port.allTcp());
  web.allowFrom(Peer.pods({ namespace: 'monitoring', labels: { app: 'prometheus' } }), Port.tcp(8080));
  const ingressOnly = new WorkloadPolicy(chart, 'IngressOnly', { name: 'ingress-only', namespace: 'shop', podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] }, egress: false });
  ingressOnly.addIngressRule(Peer.allPodsInCluster(), [Port.named('http', undefined), Port.allUdp()]);
  ingressOnly.addIngressRule(Peer.namespace('other'), []);
  const everyPod = new WorkloadPolicy(chart, 'EveryPod', { name: 'every-pod', namespace: 'shop', podSelector: {}, ingress: false, labels: { b: '2', a: '1' } });
  everyPod.addEgressRule(Peer.anyIpv6(), []);
  everyPod.apiObject.metadata.addAnnotation('z.example.com/note', 'kept');
  return { chart, api };
}

describe('objects whose spec the library writes itself', () => {
  test('render, in every example chart and in a chart of every kind of peer and port, what cdk8s renders (key order included)', () => {
    const app = Testing.app();
    addExamples(app);
    variedApp(app);
    const objects = ownSpecObjects(app);
    expect(objects.length).toBeGreaterThan(30);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
    for (const obj of objects) {
      expect(JSON.stringify(obj.toJson())).toBe(JSON.stringify(cdk8sRendering(obj)));
    }
  });

  test('without patches or App resolvers, the policy writes its spec itself (cdk8s never walks the typed spec)', () => {
    const app = Testing.app();
    const { api } = variedApp(app);
    const typed = jest.spyOn(WorkloadPolicy.prototype, '_toKube');
    try {
      expect(api.networkPolicy.apiObject.toJson().spec.ingress.length).toBeGreaterThan(0);
      expect(typed).not.toHaveBeenCalled();
      api.networkPolicy.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations', { a: 'b' }));
      api.networkPolicy.apiObject.toJson();
      expect(typed).toHaveBeenCalledTimes(1);
    } finally {
      typed.mockRestore();
    }
  });

  test('a JSON patch on the object applies to the spec (the spec renders the cdk8s way)', () => {
    const app = Testing.app();
    const { api } = variedApp(app);
    api.networkPolicy.apiObject.addJsonPatch(JsonPatch.add('/spec/ingress/0/ports/0/endPort', 9010));
    const json = api.networkPolicy.apiObject.toJson();
    expect(json.spec.ingress[0].ports[0].endPort).toBe(9010);
    expect(JSON.stringify(json)).toBe(JSON.stringify(cdk8sRendering(api.networkPolicy.apiObject)));
  });

  test('an App resolver sees every value of the spec', () => {
    const upper: IResolver = {
      resolve: (context: ResolutionContext) => {
        if (context.value === 'TCP') context.replaceValue('tcp-resolved');
      },
    };
    const app = new App({ resolvers: [upper] });
    const { api } = variedApp(app);
    const json = api.networkPolicy.apiObject.toJson();
    expect(JSON.stringify(json)).toContain('tcp-resolved');
    expect(JSON.stringify(json)).toBe(JSON.stringify(cdk8sRendering(api.networkPolicy.apiObject)));
    expect(JSON.stringify(api.podDisruptionBudget!.toJson())).toBe(JSON.stringify(cdk8sRendering(api.podDisruptionBudget!)));
  });

  test('with CDK8S_DISABLE_SORT the spec keeps cdk8s\'s order', () => {
    const app = Testing.app();
    const { chart } = variedApp(app);
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      for (const obj of ownSpecObjects(app)) expect(JSON.stringify(obj.toJson())).toBe(JSON.stringify(cdk8sRendering(obj)));
      expect(Testing.synth(chart).length).toBeGreaterThan(0);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('a value cdk8s resolves (a Lazy from a peer outside the library) is resolved', () => {
    const app = Testing.app();
    const { api } = variedApp(app);
    api.networkPolicy.addIngressRule(new LazyLabelPeer(), []);
    const json = api.networkPolicy.apiObject.toJson();
    expect(json.spec.ingress.at(-1)).toEqual({ from: [{ podSelector: { matchLabels: { app: 'resolved-later' } } }] });
    expect(JSON.stringify(json)).toBe(JSON.stringify(cdk8sRendering(api.networkPolicy.apiObject)));
  });
});

describe('objects whose metadata is not plain', () => {
  test('render the metadata the cdk8s way: finalizers, owner references, added attributes, a value cdk8s resolves, empty maps', () => {
    const app = Testing.app();
    const { api } = variedApp(app);
    const policy = api.networkPolicy.apiObject;
    const budget = api.podDisruptionBudget!;
    const same = (obj: ApiObject) => expect(JSON.stringify(obj.toJson())).toBe(JSON.stringify(cdk8sRendering(obj)));
    same(policy);
    // Plain metadata: the library writes the whole object, cdk8s does not render the metadata.
    const metadataRender = jest.spyOn(policy.metadata, 'toJson');
    policy.toJson();
    budget.toJson();
    expect(metadataRender).not.toHaveBeenCalled();
    metadataRender.mockRestore();
    policy.metadata.addLabel('resolved', Lazy.any({ produce: () => 'later' }) as unknown as string);
    same(policy);
    expect(policy.toJson().metadata.labels.resolved).toBe('later');
    budget.metadata.addFinalizers('example.com/keep');
    same(budget);
    expect(budget.toJson().metadata.finalizers).toEqual(['example.com/keep']);
    const other = new WorkloadPolicy(api, 'Owned', { name: 'owned', namespace: 'shop', podSelector: {} });
    other.apiObject.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' });
    same(other.apiObject);
    const added = new WorkloadPolicy(api, 'Added', { name: 'added', namespace: 'shop', podSelector: {}, labels: {} });
    same(added.apiObject);
    added.apiObject.metadata.add('generateName', 'added-');
    same(added.apiObject);
    expect(added.apiObject.toJson().metadata.generateName).toBe('added-');
  });
});
