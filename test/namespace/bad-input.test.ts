import { Chart } from 'cdk8s';
import { DenyAllNamespace, DenyAllNamespaceProps, SecureService } from '../../src';
import { expectRefusedAtConstruction } from '../util/bad-input';

const ns = (props: DenyAllNamespaceProps, id = 'Shop') => (chart: Chart) => {
  new DenyAllNamespace(chart, id, props);
};
const NS_NAME = "it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";
const SYSTEM = 'is a system namespace; choose a namespace of your own (default and kube-* are refused).';

describe('DenyAllNamespace refuses bad input when it is constructed', () => {
  test.each<[string, (chart: Chart) => void, string]>([
    ['the default namespace', ns({ name: 'default' }), `test/Shop: DenyAllNamespace.name "default" ${SYSTEM}`],
    ['an id that derives the default namespace', ns({}, 'Default'), `test/Default: DenyAllNamespace.name "default" ${SYSTEM}`],
    ['kube-system', ns({ name: 'kube-system' }), `test/Shop: DenyAllNamespace.name "kube-system" ${SYSTEM}`],
    ['kube-public', ns({ name: 'kube-public' }), `test/Shop: DenyAllNamespace.name "kube-public" ${SYSTEM}`],
    ['a name with upper case letters', ns({ name: 'Shop' }), `test/Shop: DenyAllNamespace.name "Shop" is not a valid namespace name; ${NS_NAME}.`],
    ['a name with a dot', ns({ name: 'shop.eu' }), `test/Shop: DenyAllNamespace.name "shop.eu" is not a valid namespace name; ${NS_NAME}.`],
    ['a name longer than 63 characters', ns({ name: 's'.repeat(64) }),
      `test/Shop: DenyAllNamespace.name "${'s'.repeat(64)}" is not a valid namespace name; it has 64 characters; at most 63 are allowed.`],
    ['a podSecurityVersion without the v', ns({ podSecurityVersion: '1.30' }),
      "test/Shop: DenyAllNamespace.podSecurityVersion \"1.30\" is not a version; use 'latest' or 'v1.N' (e.g. 'v1.30')."],
    ['a podSecurityVersion of another major version', ns({ podSecurityVersion: 'v2.0' }),
      "test/Shop: DenyAllNamespace.podSecurityVersion \"v2.0\" is not a version; use 'latest' or 'v1.N' (e.g. 'v1.30')."],
    ['a namespace listed twice in allowFromNamespaces', ns({ allowFromNamespaces: ['monitoring', 'ops', 'monitoring'] }),
      'test/Shop: DenyAllNamespace.allowFromNamespaces lists "monitoring" twice; list each namespace once.'],
    ['a bad name in allowFromNamespaces', ns({ allowFromNamespaces: ['ops', 'Monitoring'] }),
      `test/Shop: DenyAllNamespace.allowFromNamespaces[1] "Monitoring" is not a namespace name; ${NS_NAME}.`],
    ['a bad label key', ns({ labels: { 'team name': 'shop' } }),
      "test/Shop: DenyAllNamespace.labels: label key \"team name\" is invalid; the name part must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric."],
    ['a label that sets a Pod Security Admission level', ns({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }),
      'test/Shop: DenyAllNamespace.labels sets "pod-security.kubernetes.io/enforce", which this construct writes; use DenyAllNamespace.podSecurity and podSecurityVersion instead.'],
    ['connecting the namespace to a service without a namespace', (chart) => {
      const shop = new DenyAllNamespace(chart, 'Shop');
      shop.allowTo(new SecureService(chart, 'Api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 }));
    }, 'test/Shop: allowTo(api): api has no namespace while the other end is in namespace "shop"; set the namespace of both so the rules can name each other across namespaces.'],
    ['connecting the namespace to itself', (chart) => {
      const shop = new DenyAllNamespace(chart, 'Shop');
      shop.allowFrom(shop);
    }, 'test/Shop: allowFrom(ns:shop): DenyAllNamespace shop cannot be connected to itself; set DenyAllNamespace.allowWithinNamespace to true to let its pods reach each other.'],
  ])('%s', (_description, build, message) => {
    expectRefusedAtConstruction(build, message);
  });
});
