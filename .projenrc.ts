import { cdk8s, DependencyType, javascript, JsonFile, typescript } from 'projen';

const CDK8S_PLUS = 'cdk8s-plus-28@^2.5.6'; // the oldest that works: see cdk8sVersion below

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-secure-networking',
  packageName: 'cdk8s-secure-networking',
  description:
    'cdk8s constructs for Kubernetes networking that are secure by default: zero-trust namespaces, hardened services, TLS ingress, and provable reachability.',
  license: 'Apache-2.0',
  author: 'cdk8s-secure-networking contributors',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk8s-secure-networking/cdk8s-secure-networking.git',
  keywords: ['cdk8s', 'kubernetes', 'networking', 'networkpolicy', 'ingress', 'zero-trust', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The peer ranges start at the oldest versions that work, and the tests run against exactly those
  // (projen pins the dev dependencies to the bottom of each peer range). cdk8s 2.69.0: Size.asString()
  // (HeadlessStatefulEndpoint storage) is not in 2.68.x; cdk8s-plus-28 asks for ^2.68.11 anyway.
  // constructs 10.3.0: cdk8s-plus-28 peers on ^10.3.0. cdk8s-plus-28 2.5.6 (CDK8S_PLUS): 2.3.17 and
  // older lack SeccompProfileType and 2.0.3 Capability, which every hardened pod uses.
  cdk8sVersion: '2.69.0',
  constructsVersion: '10.3.0',
  peerDeps: [CDK8S_PLUS],
  // Parsing manifests (analysis/, the CLI) at run time; bundled, as jsii libraries require.
  // js-yaml parses the common documents about ten times faster (analysis/sources.ts, bench/pipeline.ts);
  // yaml reads the rest (anchors, tags, directives) and reports positions of errors.
  bundledDeps: ['yaml@^2.9.1', 'js-yaml@^4.1.0'],
  devDeps: [
    CDK8S_PLUS,
    // What `cdk8s init typescript-app` installs today: test/compat builds an app with it next to us.
    'cdk8s-plus-33@^2.5.57',
    'cdk8s-cli@^2.207.60',
    // Schema validation of everything we synthesize (test/util/synth.ts): the last releases that run on
    // Node 20 (CommonJS, engines >=14; every later one requires Node 22). test/util/schema.ts says what
    // they lack against our CRDs and test/util/schema-models.test.ts checks it.
    'kubernetes-models@~4.5.1',
    '@kubernetes-models/validate@~4.0.0',
    '@kubernetes-models/gateway-api@~0.5.1',
    '@kubernetes-models/cert-manager@~4.4.4',
    '@kubernetes-models/istio@~2.3.0',
    '@kubernetes-models/traefik@~0.2.4',
    // Property tests.
    'fast-check@^4',
    '@types/js-yaml@^4',
    // test/project/engines.test.ts: no locked package refuses the Node range we promise.
    'semver@^7',
    '@types/semver@^7',
  ],

  // The CLI: `npx cdk8s-net check|reach|graph <files|dirs>` (src/cli, compiled to lib/cli).
  bin: { 'cdk8s-net': 'bin/cdk8s-net' },

  // jsii 6 requires TypeScript 6 (not 7).
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  // jsii needs Node 20.16 and typescript-eslint's eslint-visitor-keys 5 needs 20.19; CI runs the newest
  // Node 20 (the README and engines say the same; test/project/engines.test.ts checks the lock file).
  minNodeVersion: '20.19.0',
  workflowNodeVersion: '20.x',

  // Source maps as files next to the JS (with the sources inside the .map), not inline base64 in
  // every module: the inline maps made lib/ 12 MB of JS that every process parses on load (synth
  // cost, issue 16). Node reads the .map files only with --enable-source-maps.
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: true, sourceMap: true },
  },

  // The dev/test tsconfig keeps its conventional name.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['.projenrc.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    compilerOptions: {},
  },

  // jsii targets, named consistently even though only the JS package is built here.
  publishToPypi: {
    distName: 'cdk8s-secure-networking',
    module: 'cdk8s_secure_networking',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_secure_networking',
    mavenGroupId: 'io.github.cdk8s-secure-networking',
    mavenArtifactId: 'cdk8s-secure-networking',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sSecureNetworking',
    packageId: 'Cdk8sSecureNetworking',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-secure-networking/cdk8s-secure-networking-go',
  },

  // Tests are transpiled file by file (tsconfig.jest.json sets isolatedModules), not type-checked by
  // ts-jest once per test file; the test task type-checks the whole project once with tsc instead.
  tsJestOptions: {
    transformOptions: { tsconfig: typescript.TsJestTsconfig.fromFile('tsconfig.jest.json') },
  },
  jestOptions: {
    // The default test run never rewrites snapshots; `npm run test:update` does.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Jest's default is one worker fewer than the cores: a single worker on a 2-core CI machine.
      maxWorkers: '100%',
      // Coverage is a report (no thresholds), and collecting it tripled the test run (V8 coverage of every
      // source file converted once per test file: 64 s -> 214 s on 2 cores); `npm run test:coverage` collects it.
      collectCoverage: false,
      // Generated CRD classes (4.7 MB) and the tests themselves are not measured: converting their
      // V8 coverage dominated the test run.
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/src/imports/', '<rootDir>/test/'],
    },
  },

  // Lint src, tests, examples and benchmarks against the dev tsconfig (which includes all of them).
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },

  // The examples app synthesizes into the repository's dist/ (examples/cdk8s.yaml, output: ../dist): its
  // manifests and the construct-metadata.json cdk8s-cli writes next to them when validations: are set.
  gitignore: ['/dist/*.k8s.yaml', '/dist/construct-metadata.json', '/bench/results/'],
  githubOptions: {
    mergify: false,
  },
});

// Only the JS package is built here (no JDK/.NET/Go/Python packaging toolchains on the build machines);
// the other jsii targets above stay configured so their names are fixed.
const pkg = project.tasks.tryFind('package')!;
pkg.reset();
pkg.spawn(project.tasks.tryFind('package:js')!);

// Published typings without @internal declarations (what TypeScript's stripInternal does; jsii 6
// refuses stripInternal in a validated tsconfig and has no jsii.tsc option for it). Runs after
// jsii and fails when a remaining typing names an @internal declaration, when an @internal tag is
// left in lib/*.d.ts, or when the rewritten typings do not type-check; it also deletes the lib/
// outputs of renamed or removed sources, which jsii leaves and npm pack would publish
// (projenrc/strip-internal.ts, tested by test/build/strip-internal.test.ts).
project.compileTask.exec('ts-node --project tsconfig.dev.json projenrc/strip-internal.ts');

// The examples app: a real cdk8s app (examples/cdk8s.yaml) synthesized by cdk8s-cli into dist/.
project.addTask('synth', {
  description: 'Synthesize the examples app (examples/) into dist/*.k8s.yaml with cdk8s-cli',
  cwd: 'examples',
  exec: 'cdk8s synth',
});

// Benchmarks (figures in bench/README.md); not part of the test run.
project.addTask('bench', {
  description: 'Synth benchmark, whole processes: N SecureServices vs the raw replay of their objects (bench/synth.ts; needs lib/ from compile)',
  exec: 'ts-node --project tsconfig.dev.json bench/synth.ts',
  receiveArgs: true,
});

project.addTask('bench:analysis', {
  description: 'Analyzer benchmark: full matrix and single queries on synthetic clusters (bench/analysis.ts)',
  exec: 'ts-node --project tsconfig.dev.json bench/analysis.ts',
  receiveArgs: true,
});

project.addTask('bench:pipeline', {
  description: 'Pipeline benchmark: cdk8s-net check, reach and diff as whole commands on YAML files of synthetic clusters (bench/pipeline.ts)',
  exec: 'ts-node --project tsconfig.dev.json bench/pipeline.ts',
  receiveArgs: true,
});

// docs/rules.md (from the rule files, src/validation/rule-docs.ts) and the generated table of
// docs/compliance.md; test/validation/docs.test.ts fails when either is stale.
project.addTask('docs:rules', {
  description: 'Regenerate docs/rules.md and the table of docs/compliance.md from the rules and checks',
  env: { UPDATE_DOCS: '1' },
  exec: 'jest test/validation/docs.test.ts --coverage=false',
});

// Generated CRD classes (src/imports/) are committed, never linted or hand-edited, and
// regenerated explicitly from the offline CRD files next to this repo (../shared/crds).
project.eslint?.addIgnorePattern('src/imports/');
const importCrds = project.addTask('import:crds', {
  description: 'Regenerate src/imports/ from ../shared/crds with cdk8s import (one module per API group)',
});
importCrds.exec('rm -rf src/imports');
// `cdk8s import` with several files keeps only the first, so every CRD goes through one
// multi-document stream; the `---` separators are needed because some files have none.
importCrds.exec('for f in ../shared/crds/gateway-api/*.yaml ../shared/crds/cert-manager/*.yaml ../shared/crds/istio/*.yaml '
  + '../shared/crds/linkerd/*.yaml ../shared/crds/mcs-api/*.yaml ../shared/crds/traefik/*.yaml ../shared/crds/gke/*.yaml; '
  + 'do echo ---; cat "$f"; done | cdk8s import /dev/stdin --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('rm -f src/imports/telemetry.istio.io.ts src/imports/extensions.istio.io.ts');
// Cilium (v1.18 schema): two files of one group, each under its own name so neither run overwrites the other
// (cnp-cilium.io.ts, ccnp-cilium.io.ts; see ../shared/crds/README.md).
importCrds.exec('cdk8s import cnp:=../shared/crds/cilium/cilium.io_ciliumnetworkpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('cdk8s import ccnp:=../shared/crds/cilium/cilium.io_ciliumclusterwidenetworkpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
// Network Policy API: AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1, v0.1.8) and ClusterNetworkPolicy (v1alpha2, v0.2.0).
importCrds.exec('cdk8s import anp:=../shared/crds/network-policy-api/policy.networking.k8s.io_adminnetworkpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('cdk8s import banp:=../shared/crds/network-policy-api/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('cdk8s import clusternp:=../shared/crds/network-policy-api/policy.networking.k8s.io_clusternetworkpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
// Envoy Gateway v1.9.0 policy kinds (one group, three files): each under its own name (btp-, sp-, ctp-gateway.envoyproxy.io.ts).
importCrds.exec('cdk8s import btp:=../shared/crds/envoy-gateway/gateway.envoyproxy.io_backendtrafficpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('cdk8s import sp:=../shared/crds/envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
importCrds.exec('cdk8s import ctp:=../shared/crds/envoy-gateway/gateway.envoyproxy.io_clienttrafficpolicies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');
// F5 NGINX Ingress Controller v5.5.4 Policy (k8s.nginx.org/v1): access control, CORS and external auth for Ingresses (nginx.org/policies).
importCrds.exec('cdk8s import nginxpolicy:=../shared/crds/nginx-ingress/k8s.nginx.org_policies.yaml --language typescript --output src/imports --no-save --no-check-upgrade');

project.addTask('test:coverage', {
  description: 'Run the tests with coverage (V8), written to coverage/',
  exec: 'jest --passWithNoTests --ci --coverage',
  receiveArgs: true,
});

// The jest transpiler's tsconfig: the dev config, transpiled one file at a time.
new JsonFile(project, 'tsconfig.jest.json', {
  obj: { extends: './tsconfig.dev.json', compilerOptions: { isolatedModules: true } },
});
// ...so the test task type-checks sources, tests, examples and benchmarks once, before jest.
project.testTask.prependExec('tsc --noEmit -p tsconfig.dev.json');

// projen's release bumps with commit-and-tag-version ^13, whose conventional-changelog 8 tree requires
// Node 22 (engine warnings on every `npm ci`); 12.x does the same job on Node 20.
project.deps.removeDependency('commit-and-tag-version');
project.deps.addDependency('commit-and-tag-version@^12', DependencyType.BUILD);

// npm 11 runs no dependency install script unless package.json allows it, and warns on every `npm ci` about
// each one it skipped. The only one is @parcel/watcher (jest's watch mode, via jest-haste-map): it builds the
// watcher from source when no prebuilt binary fits; the prebuilt @parcel/watcher-linux-* packages are used.
project.package.addField('allowScripts', { '@parcel/watcher': false });

// jsii-rosetta compiles every example (README and docstrings) strictly, with the fixtures in rosetta/;
// the cdk8s-plus-33 example needs that package, which rosetta installs for the examples only.
project.package.addField('jsiiRosetta', { strict: true, exampleDependencies: { 'cdk8s-plus-33': '^2.5.57' } });
project.gitignore.addPatterns('.jsii.tabl.json');
project.npmignore?.addPatterns('/rosetta/');
// The package holds lib/, bin/, the README and .jsii: not the benchmarks, the examples app, docs sources or the jest tsconfig.
project.npmignore?.addPatterns('/bench/', '/examples/', '/docs/', '/tsconfig.jest.json');

project.synth();
