/**
 * Findings that match the API server: names checked by kind, every problem of an object reported,
 * what the API server rejects (selectors, named ports), and no finding for what it accepts.
 * Each case cites the validation it mirrors (kubernetes/kubernetes at 036ae50, k8s.io/apimachinery).
 */
import { runChecks } from '../../src/analysis/check';
import { RULES, SourcedObject } from '../../src/analysis/rules';

const src = (...objects: any[]): SourcedObject[] => objects.map((object, i) => ({ object, source: `input:${i + 1}` }));
/** `level ruleId resource: message` of the findings of `ids`. */
const findings = (ids: readonly string[], ...objects: any[]) => runChecks(src(...objects), RULES.filter((r) => ids.includes(r.id)))
  .map((f) => `${f.level} ${f.ruleId} ${f.resource}: ${f.message}`);

const deployment = (name: string, selector: any, labels: any, ns = 'shop') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x:1' }] } } },
});
const service = (name: string, selector: any, ns = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports: [{ port: 80 }] } });
const policy = (name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec });

describe('NET002 names by kind', () => {
  // pkg/apis/rbac/validation/validation.go: ValidateRole/ClusterRole/RoleBinding/ClusterRoleBinding use
  // minimalNameRequirements = path.IsValidPathSegmentName (apimachinery pkg/api/validation/path/name.go).
  test('RBAC objects allow ":" and upper case (path segments); only ".", ".." and "/" or "%" are refused', () => {
    const rbac = (kind: string, name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name } });
    expect(findings(['NET002'],
      rbac('ClusterRole', 'system:aggregated-metrics-reader'),
      rbac('ClusterRoleBinding', 'resource-metrics:system:auth-delegator'),
      { ...rbac('Role', 'Leader-Election:Role'), metadata: { name: 'Leader-Election:Role', namespace: 'shop' } },
      rbac('RoleBinding', 'a/b'),
      rbac('ClusterRole', '..'),
      rbac('ClusterRole', '50%'),
    )).toEqual([
      'error NET002 RoleBinding a/b: metadata.name "a/b" is not a valid RoleBinding name; it may not contain "/".',
      'error NET002 ClusterRole ..: metadata.name ".." is not a valid ClusterRole name; it may not be "..".',
      'error NET002 ClusterRole 50%: metadata.name "50%" is not a valid ClusterRole name; it may not contain "%".',
    ]);
  });

  test('other kinds keep DNS names: a ConfigMap or a custom resource named with ":" is refused', () => {
    expect(findings(['NET002'],
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'system:x', namespace: 'shop' } },
      { apiVersion: 'acme.io/v1', kind: 'Role', metadata: { name: 'system:x' } },
    )).toEqual([
      'error NET002 ConfigMap shop/system:x: metadata.name "system:x" is not a valid ConfigMap name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.',
      'error NET002 Role system:x: metadata.name "system:x" is not a valid Role name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.',
    ]);
  });

  // k8s.io/apiserver pkg/registry/rest/meta.go, EnsureObjectNamespaceMatchesRequestNamespace: a cluster-scoped object's
  // namespace is cleared ("cluster-scoped, clear namespace"), never validated; a namespaced object's is checked.
  test('metadata.namespace is not checked on a cluster-scoped object, whose namespace the API server clears', () => {
    expect(findings(['NET002'],
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'Shop_NS' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'Shop_NS' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'Shop_NS' } },
    )).toEqual([
      'error NET002 ConfigMap Shop_NS/cfg: metadata.namespace "Shop_NS" is not a namespace name; it must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character.',
    ]);
  });
});

describe('NET005 every problem of a NetworkPolicy, not only the first', () => {
  test('an invalid cidr, protocol, port range, empty peer and selector requirement are all listed', () => {
    expect(findings(['NET005'], policy('p', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In' }] },
      policyTypes: ['Ingress', 'Egress', 'Sideways'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }, {}], ports: [{ protocol: 'tcp', port: 80 }, { port: 90, endPort: 80 }] }],
      egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['a'] }] } }] }],
    }))).toEqual([
      'error NET005 NetworkPolicy shop/p: spec.podSelector.matchExpressions[0].values in policy shop/p is empty; operator In needs at least one value (key "tier").',
      'error NET005 NetworkPolicy shop/p: spec.policyTypes value "Sideways" in policy shop/p is not Ingress or Egress.',
      'error NET005 NetworkPolicy shop/p: ipBlock.cidr "10.0.0.0/33" in policy shop/p is not a valid CIDR',
      'error NET005 NetworkPolicy shop/p: ingress[0].from[1] in policy shop/p is empty; a peer needs a podSelector, a namespaceSelector or an ipBlock (Kubernetes rejects an empty peer).',
      'error NET005 NetworkPolicy shop/p: ingress[0].ports[0].protocol "tcp" in policy shop/p is not TCP, UDP or SCTP (protocols are case-sensitive).',
      'error NET005 NetworkPolicy shop/p: ingress[0].ports[1].endPort 80 in policy shop/p is less than port 90; endPort must be at least port.',
      'error NET005 NetworkPolicy shop/p: egress[0].to[0].namespaceSelector.matchExpressions[0].values in policy shop/p must be empty with operator Exists (key "team" has 1); remove them.',
    ]);
  });

  // pkg/apis/networking/validation/validation.go ValidateNetworkPolicyPort: a string port must pass
  // validation.IsValidPortName (IANA_SVC_NAME: at most 15 characters, a-z0-9 and '-', a letter).
  test('named ports must be valid port names', () => {
    expect(findings(['NET005'], policy('p', {
      podSelector: {},
      ingress: [{ ports: [{ port: 'http' }, { port: 'HTTP' }, { port: 'metrics-endpoint-x' }, { port: '8080' }] }],
    }))).toEqual([
      'error NET005 NetworkPolicy shop/p: ingress[0].ports[1].port "HTTP" in policy shop/p is not a valid port name; a port name must consist of lower case alphanumeric characters or \'-\', must not start or end with \'-\' or contain \'--\'.',
      'error NET005 NetworkPolicy shop/p: ingress[0].ports[2].port "metrics-endpoint-x" in policy shop/p is not a valid port name; it has 18 characters; a port name has at most 15.',
      'error NET005 NetworkPolicy shop/p: ingress[0].ports[3].port "8080" in policy shop/p is not a valid port name; a port name must contain at least one letter. A quoted number is a port name to the API server: write 8080 without quotes.',
    ]);
  });

  // k8s.io/apimachinery pkg/util/intstr/intstr.go UnmarshalJSON: a quoted value is Type String; then
  // ValidateNetworkPolicyPort (kubernetes/kubernetes pkg/apis/networking/validation/validation.go, master
  // 019c5dc) checks it with IsValidPortName, "must contain at least one letter": kubectl apply fails.
  test('a quoted port number is a port name the API server rejects, not the number', () => {
    expect(findings(['NET005'], policy('p', {
      podSelector: {},
      ingress: [{ ports: [{ port: 8080 }] }],
      egress: [{ ports: [{ port: '53', protocol: 'UDP' }] }],
    }))).toEqual([
      'error NET005 NetworkPolicy shop/p: egress[0].ports[0].port "53" in policy shop/p is not a valid port name; a port name must contain at least one letter. A quoted number is a port name to the API server: write 53 without quotes.',
    ]);
  });

  test('Calico NetworkPolicies of the same kind are not read as Kubernetes ones', () => {
    expect(findings(['NET005'], { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'c', namespace: 'shop' }, spec: { selector: 'all()' } })).toEqual([]);
  });
});

describe('quoted port numbers in Services and probes', () => {
  // kubernetes/kubernetes pkg/apis/core/validation/validation.go (master): validateServicePort, validateHTTPGetAction
  // and validateTCPSocketAction call ValidatePortNumOrName, which checks a string (a quoted value, k8s.io/apimachinery
  // intstr UnmarshalJSON) with IsValidPortName: "must contain at least one letter". kubectl apply fails.
  test('a Service targetPort or probe port "8080" is refused, numbers and names are not', () => {
    const withProbes = deployment('web', { matchLabels: { app: 'web' } }, { app: 'web' });
    withProbes.spec.template.spec.containers[0] = {
      name: 'main',
      image: 'x:1',
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: { httpGet: { path: '/', port: '8080' } },
      readinessProbe: { tcpSocket: { port: 'http' } },
      startupProbe: { tcpSocket: { port: 8080 } },
    } as any;
    const svc = (name: string, targetPort: any) => ({ ...service(name, { app: 'web' }), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort }] } });
    expect(findings(['NET011', 'NET014'], withProbes, svc('quoted', '8080'), svc('number', 8080), svc('name', 'http'))).toEqual([
      'error NET014 Deployment shop/web: spec.template.spec.containers[0].livenessProbe.httpGet.port "8080" is a quoted number, which the API server '
        + 'reads as a port name and rejects (a port name must contain at least one letter); write 8080 without quotes.',
      'error NET011 Service shop/quoted: spec.ports[0].targetPort "8080" is a quoted number, which the API server reads as a port name and rejects '
        + '(a port name must contain at least one letter); write 8080 without quotes.',
    ]);
  });
});

describe('NET030 workload-selector-invalid', () => {
  // pkg/apis/apps/validation/validation.go: "empty selector is invalid for deployment",
  // "`selector` does not match template `labels`"; apimachinery ValidateLabelSelectorRequirement.
  test('a selector that does not match the template labels, a missing and an empty selector', () => {
    expect(findings(['NET030'],
      deployment('web', { matchLabels: { app: 'web' } }, { app: 'web-v2' }),
      deployment('api', undefined, { app: 'api' }),
      deployment('db', {}, { app: 'db' }),
      deployment('ok', { matchLabels: { app: 'ok' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['test'] }] }, { app: 'ok', tier: 'prod' }),
    )).toEqual([
      'error NET030 Deployment shop/web: spec.selector does not match the pod template labels (app=web not satisfied; template labels: app=web-v2); the API server rejects the object. Make the selector select the template\'s labels.',
      'error NET030 Deployment shop/api: spec.selector is missing; a Deployment needs one that matches its pod template labels, e.g. matchLabels: { app: api }.',
      'error NET030 Deployment shop/db: spec.selector is empty; the API server refuses an empty selector for a Deployment (it would select every pod of the namespace). Select the template\'s labels.',
    ]);
  });

  test('matchExpressions with In and no values, or Exists with values, are refused; every problem is listed', () => {
    expect(findings(['NET030'], deployment('web', {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: [] }, { key: 'zone', operator: 'Exists', values: ['a'] }, { key: 'x', operator: 'Equals', values: ['y'] }],
    }, { app: 'web' }))).toEqual([
      'error NET030 Deployment shop/web: spec.selector.matchExpressions[0].values is empty; operator In needs at least one value (key "tier"); the API server rejects the selector.',
      'error NET030 Deployment shop/web: spec.selector.matchExpressions[1].values must be empty with operator Exists (key "zone" has 1); remove them; the API server rejects the selector.',
      'error NET030 Deployment shop/web: spec.selector.matchExpressions[2].operator "Equals" is not In, NotIn, Exists or DoesNotExist; the API server rejects the selector.',
    ]);
  });

  test('a ReplicationController (map selector, defaulted when empty) and a Job with manualSelector; generated Job selectors are not checked', () => {
    const rc = (selector: any) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'shop' }, spec: { selector, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [] } } } });
    const job = (manualSelector: boolean) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `job-${manualSelector}`, namespace: 'shop' }, spec: { manualSelector, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'job' } }, spec: { containers: [] } } } });
    expect(findings(['NET030'], rc({ app: 'rc' }), rc(undefined), rc({ app: 'x' }), job(false), job(true))).toEqual([
      'error NET030 ReplicationController shop/rc: spec.selector does not match the pod template labels (app=x not satisfied; template labels: app=rc); the API server rejects the object. Make the selector select the template\'s labels.',
      'error NET030 Job shop/job-true: spec.selector does not match the pod template labels (app=other not satisfied; template labels: app=job); the API server rejects the object. Make the selector select the template\'s labels.',
    ]);
  });
});

describe('Service selectors', () => {
  test('a selector that is not a map is a schema error (NET006) only; NET010 does not read it as labels', () => {
    const out = findings(['NET006', 'NET010', 'NET003'], service('a', ['app', 'web']), service('b', 'app=web'));
    expect(out).toEqual([
      'error NET006 Service shop/a: spec.selector: is a list; it must be a map; the API server rejects the object.',
      'error NET006 Service shop/b: spec.selector: is the string "app=web"; it must be a map; the API server rejects the object.',
    ]);
  });

  // pkg/apis/core/validation/validation.go ValidateService: ValidateLabels(service.Spec.Selector, ...).
  test('selector keys and values are validated as labels (NET003)', () => {
    expect(findings(['NET003'], service('a', { 'app name': 'web', 'tier': 'front end' }))).toEqual([
      'error NET003 Service shop/a: label app name=web is invalid; label key "app name" is invalid; the name part must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric.',
      'error NET003 Service shop/a: label tier=front end is invalid; label value "front end" of "tier" is invalid; it must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric.',
    ]);
  });

  test('a selector matching no pod template is a warning when a custom resource of the namespace has a controller that creates pods', () => {
    const prometheus = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec: { replicas: 2 } };
    expect(findings(['NET010', 'NET013'],
      prometheus,
      service('prometheus-k8s', { 'app.kubernetes.io/name': 'prometheus', 'prometheus': 'k8s' }, 'monitoring'),
      service('web', { app: 'web' }),
      { ...policy('prometheus', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }), metadata: { name: 'prometheus', namespace: 'monitoring' } },
    )).toEqual([
      'warning NET010 Service monitoring/prometheus-k8s: spec.selector app.kubernetes.io/name=prometheus,prometheus=k8s matches no pod template in namespace monitoring; '
        + 'the pods may be created by the controller of Prometheus monitoring/k8s. Check that the selector matches the labels that controller puts on its pods.',
      'error NET010 Service shop/web: spec.selector app=web matches no pod template in namespace shop; fix the selector or the pod labels.',
      'warning NET013 NetworkPolicy monitoring/prometheus: spec.podSelector selects no pod template in namespace monitoring; '
        + 'the pods may be created by the controller of Prometheus monitoring/k8s. Check that the selector matches the labels that controller puts on its pods.',
    ]);
  });
});
