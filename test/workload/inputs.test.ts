/**
 * Inputs that used to be accepted silently: mutable image tags, replica counts beyond int32 or
 * beyond reason. Each is refused at construction with the construct path, the field and the fix;
 * each has a named opt-in where one makes sense.
 */
import { DenyAllNamespace, HeadlessStatefulEndpoint, SecureService } from '../../src';
import { expectRefusedAtConstruction } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

describe('images are pinned (kube-linter latest-tag, see test/compliance/checks.ts)', () => {
  test.each([
    ['no tag', 'nginx', 'test/Web: SecureService.image "nginx" has no tag (the node pulls :latest), so each pull may run a different image (kube-linter latest-tag); '
      + "pin a version tag ('nginx:1.2.3') or a digest ('nginx@sha256:...'), or set SecureService.allowMutableImageTag to true."],
    ['the latest tag', 'ghcr.io/acme/web:latest', 'test/Web: SecureService.image "ghcr.io/acme/web:latest" uses the tag latest, so each pull may run a different image (kube-linter latest-tag); '
      + "pin a version tag ('ghcr.io/acme/web:1.2.3') or a digest ('ghcr.io/acme/web@sha256:...'), or set SecureService.allowMutableImageTag to true."],
    ['a registry port and no tag', 'localhost:5000/web', 'test/Web: SecureService.image "localhost:5000/web" has no tag (the node pulls :latest), so each pull may run a different image (kube-linter latest-tag); '
      + "pin a version tag ('localhost:5000/web:1.2.3') or a digest ('localhost:5000/web@sha256:...'), or set SecureService.allowMutableImageTag to true."],
    ['a malformed digest', 'ghcr.io/acme/web@sha256:abc', 'test/Web: SecureService.image "ghcr.io/acme/web@sha256:abc" has the digest "sha256:abc", which is not sha256: followed by 64 lowercase hex digits; copy the digest from the registry.'],
  ])('an image with %s is refused', (_n, image, message) => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Web', { image, port: 8080 }), message);
  });

  test('a version tag, a digest, and a registry port with a tag are accepted; the opt-in accepts :latest', () => {
    const chart = newChart('test', 'shop');
    const digest = `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`;
    new SecureService(chart, 'A', { image: 'localhost:5000/web:2.0.0', port: 8080 });
    new SecureService(chart, 'B', { image: digest, port: 8080 });
    new SecureService(chart, 'C', { image: 'ghcr.io/acme/web:latest', port: 8080, allowMutableImageTag: true });
    const objects = synth(chart);
    expect(one(objects, 'Deployment', 'b').spec.template.spec.containers[0].image).toBe(digest);
    expect(one(objects, 'Deployment', 'c').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:latest');
  });

  test('HeadlessStatefulEndpoint refuses :latest the same way', () => {
    expectRefusedAtConstruction((chart) => new HeadlessStatefulEndpoint(chart, 'Db', { image: 'postgres:latest', ports: [{ name: 'pg', port: 5432 }] }),
      'test/Db: HeadlessStatefulEndpoint.image "postgres:latest" uses the tag latest, so each pull may run a different image (kube-linter latest-tag); '
      + "pin a version tag ('postgres:1.2.3') or a digest ('postgres@sha256:...'), or set HeadlessStatefulEndpoint.allowMutableImageTag to true.");
  });
});

describe('replicas stay within what the API server stores and what is plausible', () => {
  test.each([
    ['beyond int32', 2147483648, 'test/Web: SecureService.replicas is 2147483648; the API server stores replicas as a 32-bit integer (at most 2147483647), so it would reject the object. Give a realistic count.'],
    ['beyond int32 even with the opt-in', 1e12, 'test/Web: SecureService.replicas is 1000000000000; the API server stores replicas as a 32-bit integer (at most 2147483647), so it would reject the object. Give a realistic count.'],
    ['above 1000 without the opt-in', 30000, 'test/Web: SecureService.replicas is 30000, more than 1000 pods of one workload; if that is not a typo, set SecureService.allowLargeReplicaCount to true.'],
  ])('%s is refused', (n, replicas, message) => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Web', {
      image: 'ghcr.io/acme/web:2.0.0', port: 8080, replicas, allowLargeReplicaCount: n.includes('opt-in') && !n.includes('without') ? true : undefined,
    }), message);
  });

  test('1000 replicas are accepted, and more with allowLargeReplicaCount', () => {
    const chart = newChart('test', 'shop');
    new SecureService(chart, 'A', { image: 'ghcr.io/acme/web:2.0.0', port: 8080, replicas: 1000 });
    new SecureService(chart, 'B', { image: 'ghcr.io/acme/web:2.0.0', port: 8080, replicas: 5000, allowLargeReplicaCount: true });
    const objects = synth(chart);
    expect(one(objects, 'Deployment', 'a').spec.replicas).toBe(1000);
    expect(one(objects, 'Deployment', 'b').spec.replicas).toBe(5000);
  });

  test('HeadlessStatefulEndpoint checks replicas the same way', () => {
    expectRefusedAtConstruction((chart) => new HeadlessStatefulEndpoint(chart, 'Db', {
      namespace: new DenyAllNamespace(chart, 'Ns', { name: 'shop' }), image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], replicas: 2 ** 31,
    }), 'test/Db: HeadlessStatefulEndpoint.replicas is 2147483648; the API server stores replicas as a 32-bit integer (at most 2147483647), so it would reject the object. Give a realistic count.');
  });
});
