/**
 * The app-wide rules as pure functions over manifests, as cdk-nag tests its rules: each has
 * compliant, non-compliant and not-applicable cases.
 */
import { SourcedObject } from '../../src/analysis/rules';
import duplicateObject from '../../src/analysis/rules/duplicate-object';
import ingressBackendNotFound from '../../src/analysis/rules/ingress-backend-not-found';
import ingressRouteClaimedTwice from '../../src/analysis/rules/ingress-route-claimed-twice';
import ingressTlsDoesNotCoverHost from '../../src/analysis/rules/ingress-tls-does-not-cover-host';
import ingressUnsafeAnnotation from '../../src/analysis/rules/ingress-unsafe-annotation';
import ingressWithoutTls from '../../src/analysis/rules/ingress-without-tls';
import networkPolicyNamedPortNotDeclared from '../../src/analysis/rules/network-policy-named-port-not-declared';
import { networkPolicyPeerNamespaceUnknown } from '../../src/analysis/rules/network-policy-peer-namespace-unknown';
import networkPolicyRuleAdmitsEverything from '../../src/analysis/rules/network-policy-rule-admits-everything';
import probePortNotContainerPort from '../../src/analysis/rules/probe-port-not-container-port';
import statefulsetServiceNotHeadless from '../../src/analysis/rules/statefulset-service-not-headless';

const src = (...objects: any[]): SourcedObject[] => objects.map((object, i) => ({ object, source: `input#${i + 1}` }));
type CheckFn = { check: (o: readonly SourcedObject[]) => Array<{ message: string }> };
const messages = (rule: CheckFn, ...objects: any[]) => rule.check(src(...objects)).map((f) => f.message);

const pod = (container: any, labels: any = { app: 'web' }, namespace = 'shop') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x:1', ...container }] } } },
});
const service = (name: string, ports: any[], extra: any = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: 'web' }, ports, ...extra } });
const ingress = (name: string, spec: any, annotations?: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop', annotations }, spec });
const route = (host: string, path: string, svc = 'web', port: any = { name: 'http' }) => ({ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: svc, port } } }] } });

describe('NET014 probe-port-not-container-port', () => {
  test('compliant: probes on a named and a numbered container port', () => {
    expect(messages(probePortNotContainerPort, pod({ ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { port: 'http' } }, livenessProbe: { tcpSocket: { port: 8080 } } }))).toEqual([]);
  });
  test('non-compliant: a named port the container lacks', () => {
    expect(messages(probePortNotContainerPort, pod({ ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { port: 'admin' } }, startupProbe: { grpc: { port: 9000 } } }))).toEqual([
      'spec.template.spec.containers[0].readinessProbe.httpGet.port "admin" is not a port name of container "main" (its named ports: http); name the container port or probe one of those names.',
    ]);
  });
  // The kubelet probes a number as given (kubernetes/kubernetes pkg/probe/util.go, ResolveContainerPort):
  // container ports are informational, so a numeric probe port needs no declared container port.
  test('compliant: a numeric probe port the container does not declare', () => {
    const probes = { readinessProbe: { httpGet: { port: 9000 } }, livenessProbe: { tcpSocket: { port: 9001 } } };
    expect(messages(probePortNotContainerPort, pod(probes))).toEqual([]);
  });
  // A quoted number is a string to the API server, which checks it as a port name and rejects the pod
  // (kubernetes/kubernetes pkg/apis/core/validation/validation.go: validateTCPSocketAction -> ValidatePortNumOrName
  // -> IsValidPortName, "must contain at least one letter"): the kubelet never sees it.
  test('violating: a quoted probe port number', () => {
    expect(messages(probePortNotContainerPort, pod({ livenessProbe: { tcpSocket: { port: '9001' } } }))).toEqual([
      'spec.template.spec.containers[0].livenessProbe.tcpSocket.port "9001" is a quoted number, which the API server reads as a port name and rejects '
      + '(a port name must contain at least one letter); write 9001 without quotes.',
    ]);
  });
  test('not applicable: exec probes', () => {
    expect(messages(probePortNotContainerPort, pod({ livenessProbe: { exec: { command: ['true'] } } }))).toEqual([]);
  });
});

describe('NET015 ingress-backend-not-found', () => {
  test('compliant: backends by port name and number', () => {
    expect(messages(ingressBackendNotFound, service('web', [{ name: 'http', port: 80 }]), ingress('i', { rules: [route('a.example', '/'), route('b.example', '/', 'web', { number: 80 })] }))).toEqual([]);
  });
  test('non-compliant: a missing Service, a missing port number, a route backendRef to a missing Service', () => {
    expect(messages(ingressBackendNotFound,
      service('web', [{ name: 'http', port: 80 }]),
      ingress('i', { defaultBackend: { service: { name: 'gone', port: { number: 80 } } }, rules: [route('a.example', '/', 'web', { number: 8080 })] }),
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec: { rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } },
    )).toEqual([
      'spec.defaultBackend.service names Service shop/gone, which is not in the manifests; create it or fix the name.',
      'spec.rules[0].http.paths[0].backend.service names port 8080 of Service shop/web, which does not expose it (its ports: 80); use the Service port, not the container port.',
      'spec.rules[0].backendRefs[0] names Service shop/api, which is not in the manifests; create it or fix the name.',
    ]);
  });
  test('not applicable: a backend in a namespace the input does not contain, resource backends, non-Service backendRefs', () => {
    expect(messages(ingressBackendNotFound,
      ingress('i', { rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { kind: 'Bucket', name: 'b' } } }] } }] }),
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec: { rules: [{ backendRefs: [{ name: 'x', namespace: 'other', port: 80 }, { group: 'acme.io', kind: 'Thing', name: 't' }] }] } },
    )).toEqual([]);
  });
});

describe('NET015: which namespaces the input contains (ManifestIndex.hasNamespace, shared with NET019, NET021, NET024)', () => {
  const bare = (o: any) => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
  // An object without metadata.namespace is applied to the request's namespace (kubectl: its context's), taken as
  // default: the Ingress is there, so a missing Service beside it is the input's (a 503), not another team's.
  test('non-compliant: an Ingress without namespace whose Service is missing (both in default)', () => {
    expect(messages(ingressBackendNotFound, bare(ingress('i', { rules: [route('a.example', '/', 'gone')] })))).toEqual([
      'spec.rules[0].http.paths[0].backend.service names Service default/gone, which is not in the manifests; create it or fix the name.',
    ]);
  });
  // The API server clears metadata.namespace of a cluster-scoped object (kubernetes/kubernetes
  // staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go, EnsureObjectNamespaceMatchesRequestNamespace).
  test('not applicable: a namespace only a cluster-scoped object names (a chart namespace on a ClusterRole or a Namespace object)', () => {
    const backendIn = (ns: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'shop' },
      spec: { rules: [{ backendRefs: [{ name: 'api', namespace: ns, port: 80 }] }] },
    });
    expect(messages(ingressBackendNotFound, backendIn('ops'), backendIn('kube-system'),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'ops' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'ops' } })).toEqual([]);
  });
});

describe('NET015 reads AWS Load Balancer Controller forward actions', () => {
  // kubernetes-sigs/aws-load-balancer-controller @ v3.5.0 docs/guide/ingress/annotations.md (actions): the backend service name is the
  // action name and its port is "use-annotation"; the action's forwardConfig.targetGroups name the Services.
  const action = (groups: any[]) => ({ 'alb.ingress.kubernetes.io/actions.canary-0': JSON.stringify({ type: 'forward', forwardConfig: { targetGroups: groups } }) });
  const viaAction = route('a.example', '/', 'canary-0', { name: 'use-annotation' });
  test('compliant: the action\'s target groups exist', () => {
    expect(messages(ingressBackendNotFound, service('web', [{ name: 'http', port: 80 }]),
      ingress('i', { rules: [viaAction] }, action([{ serviceName: 'web', servicePort: 'http', weight: 90 }, { serviceName: 'web', servicePort: 80, weight: 10 }])))).toEqual([]);
  });
  test('non-compliant: a target group names a missing Service', () => {
    expect(messages(ingressBackendNotFound, service('web', [{ name: 'http', port: 80 }]),
      ingress('i', { rules: [viaAction] }, action([{ serviceName: 'gone', servicePort: 'http' }])))).toEqual([
      'spec.rules[0].http.paths[0].backend.service (actions.canary-0) names Service shop/gone, which is not in the manifests; create it or fix the name.',
    ]);
  });
});

describe('NET016 ingress-tls-does-not-cover-host', () => {
  test('compliant: exact and one-label wildcard coverage', () => {
    expect(messages(ingressTlsDoesNotCoverHost, ingress('i', { tls: [{ hosts: ['a.example', '*.b.example'] }], rules: [route('a.example', '/'), route('x.b.example', '/')] }))).toEqual([]);
  });
  test('non-compliant: a wildcard covers one label only', () => {
    expect(messages(ingressTlsDoesNotCoverHost, ingress('i', { tls: [{ hosts: ['*.example'] }], rules: [route('a.b.example', '/')] }))).toEqual([
      'spec.rules[0].host "a.b.example" is not covered by spec.tls (hosts: *.example); add it to a tls entry whose certificate covers it.',
    ]);
  });
  test('not applicable: an Ingress without spec.tls', () => {
    expect(messages(ingressTlsDoesNotCoverHost, ingress('i', { rules: [route('a.example', '/')] }))).toEqual([]);
  });
});

describe('NET017 ingress-route-claimed-twice', () => {
  test('compliant: other paths, other hosts, and ingress-nginx canaries', () => {
    expect(messages(ingressRouteClaimedTwice,
      ingress('a', { ingressClassName: 'nginx', rules: [route('a.example', '/')] }),
      ingress('b', { ingressClassName: 'nginx', rules: [route('a.example', '/api')] }),
      ingress('c', { ingressClassName: 'internal', rules: [route('b.example', '/')] }),
      ingress('d', { ingressClassName: 'nginx', rules: [route('a.example', '/')] }, { 'nginx.ingress.kubernetes.io/canary': 'true' }),
    )).toEqual([]);
  });
  test('compliant: a Traefik redirect router on the web entry point, and Exact / beside Prefix /', () => {
    const ep = (entryPoints: string) => ({ 'traefik.ingress.kubernetes.io/router.entrypoints': entryPoints });
    const exact = { host: 'b.example', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } }] } };
    expect(messages(ingressRouteClaimedTwice,
      ingress('a', { ingressClassName: 'traefik', rules: [route('a.example', '/')] }, ep('websecure')),
      ingress('a-http-redirect', { ingressClassName: 'traefik', rules: [route('a.example', '/')] }, ep('web')),
      ingress('b', { ingressClassName: 'nginx', rules: [route('b.example', '/')] }),
      ingress('c', { ingressClassName: 'nginx', rules: [exact] }),
    )).toEqual([]);
  });
  test('non-compliant: the second Ingress of a class that routes a host and path', () => {
    expect(messages(ingressRouteClaimedTwice, ingress('a', { ingressClassName: 'nginx', rules: [route('a.example', '/')] }), ingress('b', { ingressClassName: 'nginx', rules: [route('a.example', '/')] }))).toEqual([
      'spec.rules[0].http.paths[0] routes a.example/ for class "nginx", which Ingress shop/a already routes; route each host and path from one Ingress.',
    ]);
  });
  test('non-compliant: the same host and path under another class (the key has no class), or on a shared Traefik entrypoint', () => {
    const ep = (entryPoints: string) => ({ 'traefik.ingress.kubernetes.io/router.entrypoints': entryPoints });
    expect(messages(ingressRouteClaimedTwice, ingress('a', { ingressClassName: 'nginx', rules: [route('a.example', '/')] }), ingress('b', { ingressClassName: 'internal', rules: [route('a.example', '/')] }))).toEqual([
      'spec.rules[0].http.paths[0] routes a.example/ for class "internal", which Ingress shop/a (class "nginx") already routes; route each host and path from one Ingress.',
    ]);
    expect(messages(ingressRouteClaimedTwice,
      ingress('a', { ingressClassName: 'traefik', rules: [route('a.example', '/')] }, ep('web,websecure')),
      ingress('b', { ingressClassName: 'traefik', rules: [route('a.example', '/')] }, ep('websecure')),
      ingress('c', { ingressClassName: 'traefik', rules: [route('a.example', '/')] }),
    )).toHaveLength(2);
  });
});

describe('NET018 statefulset-service-not-headless', () => {
  const sts = (serviceName?: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName } });
  test('compliant: a headless Service of that name', () => {
    expect(messages(statefulsetServiceNotHeadless, sts('db'), service('db', [], { clusterIP: 'None' }))).toEqual([]);
  });
  test('non-compliant: no such Service, or one with a cluster IP', () => {
    expect(messages(statefulsetServiceNotHeadless, sts('db'))).toEqual(['spec.serviceName "db" names no Service in namespace shop, so the per-pod DNS names do not resolve; create a headless Service (clusterIP: None) of that name.']);
    expect(messages(statefulsetServiceNotHeadless, sts('db'), service('db', [{ port: 5432 }]))).toEqual([
      'spec.serviceName "db" names a Service that is not headless (clusterIP: allocated); set clusterIP: None on it, or name a headless Service.',
    ]);
  });
  test('not applicable: no serviceName', () => {
    expect(messages(statefulsetServiceNotHeadless, sts())).toEqual([]);
  });
  // Argo CD's install.yaml (argoproj/argo-cd manifests/install.yaml) names a Service it does not
  // ship for its application controller; the API server accepts it and the pods run.
  test('a Service absent from the manifests is a warning in check; one that is not headless stays an error', () => {
    const rule = statefulsetServiceNotHeadless;
    const levels = (...objects: any[]) => rule.check(src(...objects)).map((f) => f.level ?? rule.level);
    expect(levels(sts('db'))).toEqual(['warning']);
    expect(levels(sts('db'), service('db', [{ port: 5432 }]))).toEqual(['error']);
  });
});

describe('NET019 network-policy-peer-namespace-unknown', () => {
  const np = (peer: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [peer] }] } });
  const inNs = (ns: string, pods?: any) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: pods });
  test('compliant: pods of a namespace of the input, of a system namespace, of a declared one, or of one also named as a whole', () => {
    expect(messages(networkPolicyPeerNamespaceUnknown(['ops']), np(inNs('shop', { matchLabels: { a: 'b' } })), np(inNs('kube-system', {})), np(inNs('ops', {})),
      np(inNs('monitoring')), np(inNs('monitoring', { matchLabels: { app: 'prometheus' } })))).toEqual([]);
  });
  test('non-compliant: pods of a namespace nobody declared (matchLabels or In)', () => {
    expect(messages(networkPolicyPeerNamespaceUnknown(), np(inNs('monitring', { matchLabels: { app: 'prometheus' } })),
      np({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['opps'] }] }, podSelector: {} }))).toEqual([
      "spec.ingress[0].from[0].namespaceSelector names pods in namespace \"monitring\", which the manifests neither create nor use and which is not declared external; fix the namespace, or declare it (AppValidation.of(this).declareExternalNamespaces('monitring'), or connect to Peer.namespace('monitring')).",
      "spec.ingress[0].from[0].namespaceSelector names pods in namespace \"opps\", which the manifests neither create nor use and which is not declared external; fix the namespace, or declare it (AppValidation.of(this).declareExternalNamespaces('opps'), or connect to Peer.namespace('opps')).",
    ]);
  });
  test('not applicable: label selectors that do not pin a namespace name, and ipBlocks', () => {
    expect(messages(networkPolicyPeerNamespaceUnknown(), np({ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: {} }), np({ ipBlock: { cidr: '10.0.0.0/8' } }))).toEqual([]);
  });
  test('compliant: a namespace the policy itself declares in cdk8s-secure-networking/declared-namespaces (a profile of this library named it); only for that policy', () => {
    const declared = (peer: any, names: string) => {
      const p = np(peer);
      return { ...p, metadata: { ...p.metadata, annotations: { 'cdk8s-secure-networking/declared-namespaces': names } } };
    };
    expect(messages(networkPolicyPeerNamespaceUnknown(), declared(inNs('traefik', { matchLabels: { 'app.kubernetes.io/name': 'traefik' } }), 'kube-system,traefik'))).toEqual([]);
    expect(messages(networkPolicyPeerNamespaceUnknown(), declared(inNs('traefik', {}), 'other'), np(inNs('traefik', {})))).toHaveLength(2);
  });
  // The API server clears metadata.namespace of a cluster-scoped object (kubernetes/kubernetes
  // staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go, EnsureObjectNamespaceMatchesRequestNamespace): a chart's
  // namespace written on a Namespace object creates no namespace. Pods of default are known (it exists everywhere).
  test('non-compliant: a namespace only a Namespace object\'s own metadata.namespace names; compliant: default, also without any object in it', () => {
    const chartNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'platform' } };
    expect(messages(networkPolicyPeerNamespaceUnknown(), np(inNs('platform', {})), chartNs)).toHaveLength(1);
    expect(messages(networkPolicyPeerNamespaceUnknown(), np(inNs('default', {})), chartNs)).toEqual([]);
  });
});

describe('NET020 duplicate-object', () => {
  const obj = (apiVersion: string, kind: string, name: string, namespace?: string) => ({ apiVersion, kind, metadata: { name, namespace } });
  test('compliant: other names, namespaces, kinds or API groups', () => {
    expect(messages(duplicateObject,
      obj('apps/v1', 'Deployment', 'api', 'shop'),
      obj('apps/v1', 'Deployment', 'web', 'shop'),
      obj('apps/v1', 'Deployment', 'api', 'ops'),
      obj('v1', 'Service', 'api', 'shop'),
      // Istio's and Linkerd's AuthorizationPolicy are different objects.
      obj('security.istio.io/v1', 'AuthorizationPolicy', 'api', 'shop'),
      obj('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy', 'api', 'shop'),
      obj('v1', 'Namespace', 'shop'),
      obj('v1', 'Namespace', 'ops'),
    )).toEqual([]);
  });
  test('non-compliant: the second object is reported, naming the first and its source', () => {
    expect(messages(duplicateObject, obj('apps/v1', 'Deployment', 'api', 'shop'), obj('apps/v1', 'Deployment', 'api', 'shop'))).toEqual([
      'Deployment shop/api (apps) is the same object as Deployment shop/api of input#1; applying both keeps only the last. Give one of them another name (or namespace), or remove the duplicate.',
    ]);
    const found = duplicateObject.check(src(obj('v1', 'Service', 'api', 'shop'), obj('v1', 'Service', 'api', 'shop'), obj('v1', 'Service', 'api', 'shop')));
    expect(found.map((f) => [f.object?.source, f.field])).toEqual([['input#2', 'metadata.name'], ['input#3', 'metadata.name']]);
  });
  test('non-compliant: the version is not part of the key, and no namespace is the default namespace', () => {
    expect(messages(duplicateObject, obj('autoscaling/v1', 'HorizontalPodAutoscaler', 'api', 'shop'), obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', 'shop'))).toHaveLength(1);
    expect(messages(duplicateObject, obj('v1', 'ConfigMap', 'cfg'), obj('v1', 'ConfigMap', 'cfg', 'default'))).toHaveLength(1);
  });
  test('non-compliant: cluster-scoped kinds compare by name only, whatever namespace they claim', () => {
    expect(messages(duplicateObject, obj('v1', 'Namespace', 'a'), obj('v1', 'Namespace', 'a'))).toEqual([
      'Namespace a is the same object as Namespace a of input#1 (Namespace is cluster-scoped: the name alone identifies it); applying both keeps only the last. '
      + 'Give one of them another name (or namespace), or remove the duplicate.',
    ]);
    // The cluster-wide policies: scope: Cluster in their CRDs (../shared/crds: network-policy-api, cilium, calico).
    for (const [apiVersion, kind] of [['networking.k8s.io/v1', 'IngressClass'], ['cert-manager.io/v1', 'ClusterIssuer'], ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
      ['policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy'], ['policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy'],
      ['policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy'], ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy'], ['crd.projectcalico.org/v1', 'GlobalNetworkPolicy']]) {
      expect(messages(duplicateObject, obj(apiVersion, kind, 'x', 'a'), obj(apiVersion, kind, 'x', 'b'))).toHaveLength(1);
    }
  });
  test('non-compliant: the message names a cluster-scoped object without the namespace it claims (the API server clears it)', () => {
    expect(messages(duplicateObject, obj('cert-manager.io/v1', 'ClusterIssuer', 'x', 'a'), obj('cert-manager.io/v1', 'ClusterIssuer', 'x', 'b'))).toEqual([
      'ClusterIssuer x (cert-manager.io) is the same object as ClusterIssuer x of input#1 (ClusterIssuer is cluster-scoped: the name alone identifies it); '
      + 'applying both keeps only the last. Give one of them another name (or namespace), or remove the duplicate.',
    ]);
  });
  test('not applicable: objects without kind or name (NET001 reports them)', () => {
    expect(messages(duplicateObject, { apiVersion: 'v1', kind: 'Service', metadata: {} }, { apiVersion: 'v1', kind: 'Service', metadata: {} }, { metadata: { name: 'x' } }, { metadata: { name: 'x' } })).toEqual([]);
  });
  test('20000 objects: the one duplicate is found (scaling is measured by the benchmarks, not here)', () => {
    const many = Array.from({ length: 20000 }, (_, i) => obj('apps/v1', 'Deployment', `d${i}`, 'shop'));
    expect(messages(duplicateObject, ...many, obj('apps/v1', 'Deployment', 'd0', 'shop'))).toHaveLength(1);
  });
});

describe('NET040 ingress-without-tls', () => {
  const ing = (spec: any, annotations?: any) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'i', namespace: 'shop', annotations },
    spec: { rules: [{ host: 'a.example.com' }], ...spec },
  });
  test('compliant: spec.tls, or a certificate the controller reads from an annotation (GKE managed / pre-shared, AWS ACM)', () => {
    expect(messages(ingressWithoutTls, ing({ tls: [{ hosts: ['a.example.com'], secretName: 's' }] }),
      ing({}, { 'networking.gke.io/managed-certificates': 'c' }), ing({}, { 'ingress.gcp.kubernetes.io/pre-shared-cert': 'c' }),
      ing({}, { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:1:certificate/x' }))).toEqual([]);
  });
  test('non-compliant: no spec.tls (or an empty list)', () => {
    expect(messages(ingressWithoutTls, ing({}), ing({ tls: [] }))).toEqual([
      'spec.tls is not set, so a.example.com is served over plain HTTP; add spec.tls with the hosts and a certificate Secret (TlsIngress always does: check escape-hatch patches).',
      'spec.tls is not set, so a.example.com is served over plain HTTP; add spec.tls with the hosts and a certificate Secret (TlsIngress always does: check escape-hatch patches).',
    ]);
  });
});

describe('NET041 ingress-unsafe-annotation', () => {
  const ing = (annotations: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'shop', annotations }, spec: {} });
  test('compliant: ordinary annotations, and auth-url as a plain URL (what TlsIngress.externalAuthUrl renders)', () => {
    expect(messages(ingressUnsafeAnnotation, ing({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'true', 'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/verify' }))).toEqual([]);
  });
  test('non-compliant: snippets, advisory-listed keys, and auth-url with characters nginx would interpret', () => {
    expect(messages(ingressUnsafeAnnotation, ing({
      'nginx.ingress.kubernetes.io/server-snippet': 'x',
      'nginx.ingress.kubernetes.io/mirror-target': 'https://evil.example.com',
      'nginx.ingress.kubernetes.io/auth-url': 'http://a.example.com/$host;',
    }))).toEqual([
      'annotation nginx.ingress.kubernetes.io/server-snippet is unsafe: snippet annotations copy free text into the proxy configuration (CVE-2021-25742); remove it.',
      'annotation nginx.ingress.kubernetes.io/mirror-target is unsafe: CVE-2025-1098; remove it.',
      'annotation nginx.ingress.kubernetes.io/auth-url is unsafe: CVE-2025-24514; use TlsIngress.externalAuthUrl, which validates the URL; remove it.',
    ]);
  });
});

describe('NET042 network-policy-rule-admits-everything', () => {
  const np = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {}, ...spec } });
  test('compliant: every rule names its peers; no rules at all (deny)', () => {
    expect(messages(networkPolicyRuleAdmitsEverything, np({ ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
      np({ policyTypes: ['Ingress', 'Egress'] }))).toEqual([]);
  });
  test('non-compliant: a rule without from/to, or with an empty list (kubernetes.io: "If this field is empty or missing, this rule matches all sources")', () => {
    expect(messages(networkPolicyRuleAdmitsEverything, np({ ingress: [{ ports: [{ port: 80 }] }], egress: [{ to: [] }] }))).toEqual([
      'spec.ingress[0] has no from, so it admits every source (all pods of all namespaces and every address) on TCP 80; name the sources.',
      'spec.egress[0] has no to, so it admits every destination (all pods of all namespaces and every address) on every port; name the destinations.',
    ]);
  });
});

// networking/v1 NetworkPolicyPort.port (k8s.io/api networking/v1 types.go): "If this is a string, it is a named
// port on the pods"; for an ingress rule, the pods the policy selects (the destination).
describe('NET043 network-policy-named-port-not-declared', () => {
  const np = (rules: any[], podSelector: any = { matchLabels: { app: 'web' } }) =>
    ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: 'shop' }, spec: { podSelector, ingress: rules } });
  const from = [{ podSelector: {} }];
  test('non-compliant: a named port no selected pod declares names the policy, the rule index and the port', () => {
    const findings = networkPolicyNamedPortNotDeclared.check(src(pod({ ports: [{ name: 'http', containerPort: 8080 }] }),
      np([{ from, ports: [{ port: 'http' }] }, { from, ports: [{ port: 8080 }, { port: 'metrics' }] }])));
    expect(findings.map((f) => [f.object?.object.metadata.name, f.field])).toEqual([['allow-web', 'spec.ingress[1].ports[1].port']]);
    expect(findings.map((f) => f.message)).toEqual([
      'spec.ingress[1].ports[1].port "metrics" (TCP) is not a container port name of any of the 1 pod template(s) the policy selects in namespace shop, '
      + 'so the rule admits nothing on it; name a container port like it, or use a port those pods declare.',
    ]);
  });
  test('non-compliant: the name is declared with another protocol only', () => {
    expect(messages(networkPolicyNamedPortNotDeclared, pod({ ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }), np([{ from, ports: [{ port: 'dns' }] }]))).toEqual([
      'spec.ingress[0].ports[0].port "dns" (TCP) is not a container port name of any of the 1 pod template(s) the policy selects in namespace shop '
      + '(they declare "dns" as UDP only), so the rule admits nothing on it; name a container port like it, or use a port those pods declare.',
    ]);
  });
  test('compliant: one selected pod declares the name (another selected pod need not)', () => {
    const other = { ...pod({ ports: [] }), metadata: { name: 'web-canary', namespace: 'shop' } };
    expect(messages(networkPolicyNamedPortNotDeclared, pod({ ports: [{ name: 'http', containerPort: 8080 }] }), other,
      np([{ from, ports: [{ port: 'http' }] }], {}))).toEqual([]);
  });
  test('not applicable: the selected pods are not in the input (no finding; NET013 reports a non-empty selector that selects nothing)', () => {
    expect(messages(networkPolicyNamedPortNotDeclared, np([{ from, ports: [{ port: 'http' }] }]))).toEqual([]);
    expect(messages(networkPolicyNamedPortNotDeclared, pod({ ports: [] }, { app: 'db' }), np([{ from, ports: [{ port: 'http' }] }]))).toEqual([]);
  });
  test('not applicable: egress named ports, and names NET005 rejects (a quoted number)', () => {
    const egress = { ...np([]), spec: { podSelector: {}, egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] } };
    expect(messages(networkPolicyNamedPortNotDeclared, pod({ ports: [] }), egress, np([{ from, ports: [{ port: '8080' }] }]))).toEqual([]);
  });
});
