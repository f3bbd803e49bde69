/**
 * Connectivity diff: before/after pairs of manifests, each checked against the exact
 * added and removed connections (networking.k8s.io/v1 semantics, as in semantics.test.ts;
 * line format and `conn` wording of netpol-analyzer's `diff`:
 * https://github.com/np-guard/netpol-analyzer/blob/main/docs/diff_output.md).
 */
import { NetworkAnalysis } from '../../src/analysis';

const deployment = (name: string, labels: Record<string, string>, ns = 'shop', ports = '[{ name: http, containerPort: 8080 }]') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: ${JSON.stringify(labels)} }
  template:
    metadata: { labels: ${JSON.stringify(labels)} }
    spec: { containers: [{ name: main, image: x, ports: ${ports} }] }
`;

const policy = (name: string, spec: string, ns = 'shop') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec: ${spec}
`;

const ns = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${JSON.stringify(labels)} }
`;

/** web -> api on TCP 8080, api -> db on TCP 5432; every workload isolated both ways. */
const BASE = [
  ns('shop'),
  deployment('web', { app: 'web' }),
  deployment('api', { app: 'api' }),
  deployment('db', { app: 'db' }, 'shop', '[{ containerPort: 5432 }]'),
  policy('deny', '{ podSelector: {}, policyTypes: [Ingress, Egress] }'),
  policy('api', '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8080 }] }] }'),
  policy('web-out', '{ podSelector: { matchLabels: { app: web } }, policyTypes: [Egress], egress: [{ to: [{ podSelector: { matchLabels: { app: api } } }] }] }'),
  policy('db', '{ podSelector: { matchLabels: { app: db } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 5432 }] }] }'),
  policy('api-out', '{ podSelector: { matchLabels: { app: api } }, policyTypes: [Egress], egress: [{ to: [{ podSelector: { matchLabels: { app: db } } }], ports: [{ port: 5432 }] }] }'),
];

const analyse = (docs: string[]) => NetworkAnalysis.fromYaml(docs.join('---\n'));
const diff = (before: string[], after: string[]) => {
  const d = analyse(before).diff(analyse(after));
  return { added: d.added.map(line), removed: d.removed.map(line) };
};
const line = (c: { src: string; dst: string; conn: string }) => `${c.src} => ${c.dst} : ${c.conn}`;
const replace = (docs: string[], i: number, doc?: string) => docs.flatMap((d, j) => (j !== i ? [d] : doc === undefined ? [] : [doc]));

describe('NetworkAnalysis.diff', () => {
  test('the same manifests, in another order, change nothing', () => {
    expect(diff(BASE, [...BASE].reverse())).toEqual({ added: [], removed: [] });
  });

  test('a pod relabelled out of a peer selector loses its connections', () => {
    const after = replace(BASE, 1, deployment('web', { app: 'web', tier: 'front' }).replace(/"app":"web"/g, '"app":"frontend"'));
    expect(diff(BASE, after)).toEqual({ added: [], removed: ['shop/web[Deployment] => shop/api[Deployment] : TCP 8080'] });
  });

  test('a namespace whose labels change leaves (or joins) a namespaceSelector', () => {
    const docs = [...BASE, ns('ops', { team: 'ops' }), deployment('probe', { app: 'probe' }, 'ops'),
      policy('api-ops', '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: ops } } }], ports: [{ port: 9090 }] }] }')];
    const relabelled = docs.map((d) => (d === docs[9] ? ns('ops', { team: 'platform' }) : d));
    expect(diff(docs, relabelled)).toEqual({ added: [], removed: ['ops/probe[Deployment] => shop/api[Deployment] : TCP 9090'] });
    expect(diff(relabelled, docs)).toEqual({ added: ['ops/probe[Deployment] => shop/api[Deployment] : TCP 9090'], removed: [] });
  });

  test('a policy updated from one port to a range adds only the new ports', () => {
    const after = replace(BASE, 5, policy('api', '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8080, endPort: 8090 }] }] }'));
    expect(diff(BASE, after)).toEqual({ added: ['shop/web[Deployment] => shop/api[Deployment] : TCP 8081-8090'], removed: [] });
  });

  test('a port range that partly changes: exactly the ports added and the ports removed', () => {
    const ranged = (start: number, end: number) => replace(BASE, 5,
      policy('api', `{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: ${start}, endPort: ${end} }, { protocol: UDP, port: 53 }] }] }`));
    expect(diff(ranged(8000, 8100), ranged(8050, 8200))).toEqual({
      added: ['shop/web[Deployment] => shop/api[Deployment] : TCP 8101-8200'],
      removed: ['shop/web[Deployment] => shop/api[Deployment] : TCP 8000-8049'],
    });
  });

  test('a deleted policy removes what only it allowed (the namespace default-deny still isolates the pod)', () => {
    expect(diff(BASE, replace(BASE, 7))).toEqual({ added: [], removed: ['shop/api[Deployment] => shop/db[Deployment] : TCP 5432'] });
  });

  test('a deleted default-deny: pods left without isolation open up, exactly where no other policy isolates them', () => {
    // web keeps its egress policy and db its ingress policy; web's ingress and db's egress become open.
    expect(diff(BASE, replace(BASE, 4))).toEqual({
      added: [
        '0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections',
        'shop/db[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'shop/db[Deployment] => shop/web[Deployment] : All Connections',
      ],
      removed: [],
    });
  });

  test('deleting the policy that isolated a pod, with no default-deny: All Connections minus what was allowed', () => {
    // Without the default-deny and api's egress policy, db's ingress policy is all that limited api -> db.
    const before = replace(replace(BASE, 8), 4);
    expect(diff(before, replace(before, 6))).toEqual({
      added: [
        '0.0.0.0-255.255.255.255[External] => shop/db[Deployment] : All Connections',
        'shop/api[Deployment] => shop/db[Deployment] : SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535',
      ],
      removed: [],
    });
  });

  test('a stacked policy adds its rules to those of the policies already selecting the pod', () => {
    const after = [...BASE, policy('api-metrics', '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 9090 }, { port: 8080 }] }] }')];
    // TCP 8080 was already allowed by policy shop/api: only 9090 is new.
    expect(diff(BASE, after)).toEqual({ added: ['shop/web[Deployment] => shop/api[Deployment] : TCP 9090'], removed: [] });
  });

  test('an ipBlock that gains an except: only the excepted range is removed', () => {
    const withBlock = (except: string) => [...BASE, policy('api-ext', `{ podSelector: { matchLabels: { app: api } }, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8${except} } }], ports: [{ port: 443 }] }] }`)];
    expect(diff(withBlock(''), withBlock(', except: [10.1.0.0/16]'))).toEqual({
      added: [],
      removed: ['shop/api[Deployment] => 10.1.0.0-10.1.255.255[External] : TCP 443'],
    });
  });

  test('a workload present on one side only shows all its connections', () => {
    const after = [...BASE, deployment('cache', { app: 'cache' })];
    // The default-deny isolates it both ways and no rule names it.
    expect(diff(BASE, after)).toEqual({ added: [], removed: [] });
    const open = [ns('tmp'), deployment('job', { app: 'job' }, 'tmp')];
    const d = diff(BASE, [...BASE, ...open]);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([
      '0.0.0.0-255.255.255.255[External] => tmp/job[Deployment] : All Connections',
      'tmp/job[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
    ]);
    expect(diff([...BASE, ...open], BASE)).toEqual({ added: [], removed: d.added });
  });

  test('an IPv6 ipBlock on one side does not make the other side\'s IPv6 connections look removed', () => {
    const v6 = [...BASE, policy('api-v6', '{ podSelector: { matchLabels: { app: api } }, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32" } }], ports: [{ port: 443 }] }] }')];
    expect(diff(BASE, v6)).toEqual({ added: ['shop/api[Deployment] => 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] : TCP 443'], removed: [] });
  });

  test('explain: the rules that admit an added connection, and why a removed one is denied now', () => {
    const after = replace(BASE, 5, policy('api', '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8081 }] }] }'));
    const d = analyse(BASE).diff(analyse(after), { explain: true });
    expect(d.added).toEqual([{
      src: 'shop/web[Deployment]',
      dst: 'shop/api[Deployment]',
      conn: 'TCP 8081',
      explanation: 'allowed: egress from shop/web[Deployment] admitted by policy shop/web-out rule 0; ingress to shop/api[Deployment] admitted by policy shop/api rule 0',
    }]);
    expect(d.removed).toEqual([{
      src: 'shop/web[Deployment]',
      dst: 'shop/api[Deployment]',
      conn: 'TCP 8080',
      explanation: 'denied: shop/api[Deployment] is isolated for ingress by policies shop/deny, shop/api; no ingress rule admits shop/web[Deployment] on TCP 8080 (its ingress rules admit only TCP 8081 from shop/web[Deployment])',
    }]);
    const gone = analyse(BASE).diff(analyse(replace(BASE, 1)), { explain: true });
    expect(gone.removed[0].explanation).toBe('shop/web[Deployment] is not in the new manifests');
  });
});
