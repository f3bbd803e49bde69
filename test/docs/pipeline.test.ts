/**
 * The README's "In your pipeline" section: its CI snippets are valid YAML of the shape each CI
 * reads, and every `cdk8s-net` command in them runs as written (on two versions of a small app
 * standing in for dist/ and ../base-dist), producing the format the section says.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { cli } from '../cli/run-cli';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## In your pipeline'), README.indexOf('## Troubleshooting, before deploy'));
const BLOCKS = [...SECTION.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The `npx cdk8s-net ...` commands of a text, without redirections and shell glue. */
function commands(text: string): string[][] {
  return [...text.matchAll(/npx cdk8s-net ([^>|&\n]+)/g)].map((m) => m[1].trim().split(/\s+/));
}

const deployment = (name: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: main, image: "x:1", ports: [{ name: http, containerPort: ${port} }] }] }
`;
const policy = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [${ports}] }]
`;

describe('README: In your pipeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-pipeline-'));
    for (const [side, ports] of [['base-dist', '{ port: 8080 }'], ['dist', '{ port: 8080, endPort: 8090 }']]) {
      fs.mkdirSync(path.join(dir, side));
      fs.writeFileSync(path.join(dir, side, 'app.k8s.yaml'), [deployment('web', 8080), deployment('api', 8080), policy(ports)].join('---\n'));
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a GitHub Actions workflow and a GitLab CI job, valid YAML of the shape each reads', () => {
    expect(BLOCKS).toHaveLength(2);
    const github = parse(BLOCKS[0]);
    expect(github.permissions).toEqual({ 'contents': 'read', 'security-events': 'write', 'pull-requests': 'write' });
    const steps = github.jobs.manifests.steps;
    expect(steps.map((s: any) => s.uses).filter(Boolean)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    expect(steps.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif')).if).toBe('always()');
    // A failed step skips every later step without an `if:` (docs.github.com, "Expressions: Status check
    // functions": a step without one gets success()). check exits 1 on findings, so the diff and its comment
    // come before it, as the GitLab job runs them before it exits with check's status.
    const index = (name: string) => steps.findIndex((s: any) => s.name === name);
    expect(index('check')).toBeGreaterThan(index('comment'));
    expect(index('comment')).toBeGreaterThan(index('connectivity diff'));
    expect(steps.slice(index('check') + 1).every((s: any) => s.if === 'always()')).toBe(true);
    const gitlab = parse(BLOCKS[1]);
    expect(gitlab.manifests.script.length).toBeGreaterThan(3);
    expect(gitlab.manifests.artifacts).toEqual({ when: 'always', paths: ['cdk8s-net.json', 'connectivity.md'] });
  });

  test('every cdk8s-net command of the snippets runs as written and writes the format the table describes', async () => {
    const all = BLOCKS.flatMap(commands);
    expect(all.map((c) => `${c[0]} ${c.slice(-2).join(' ')}`)).toEqual([
      'diff --fail-on none', 'check --format sarif', 'check --format json', 'diff --fail-on none',
    ]);
    const cwd = process.cwd();
    // The snippets run in the app's folder: dist/ next to it, ../base-dist above it.
    fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
    process.chdir(path.join(dir, 'app'));
    try {
      for (const args of all) {
        const r = await cli(...args.map((a) => (a === 'dist' ? path.join(dir, 'dist') : a)));
        expect([0, 1]).toContain(r.code);
        if (args.includes('sarif')) {
          expect(JSON.parse(r.stdout).version).toBe('2.1.0');
        } else if (args.includes('json')) {
          expect(Object.keys(JSON.parse(r.stdout))).toEqual(['findings', 'summary']);
        } else {
          expect(r.code).toBe(0); // --fail-on none
          expect(r.stdout).toContain('### Connectivity changes');
          expect(r.stdout).toContain('TCP 8081-8090');
          expect(r.stdout).toContain('```mermaid');
        }
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
