/*
 * Peer.workload of a CronJob. A CronJob has no selector of its own: its pods are those of the Jobs
 * it creates, and they carry the labels of its pod template. The template sits at
 * spec.jobTemplate.spec.template (k8s.io/api batch/v1 types.go: CronJobSpec.JobTemplate ->
 * JobTemplateSpec.Spec -> JobSpec.Template, a PodTemplateSpec whose ObjectMeta labels the pods).
 */
import { ApiObject, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Peer, Port, SecureService } from '../../src';
import { NetworkAnalysis } from '../../src/analysis';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';

describe('Peer.workload of a CronJob names the pods of its Jobs', () => {
  test('a cdk8s-plus-28 CronJob: the rule names its pod template labels, and its pods reach api', () => {
    const chart = newChart('test', 'shop');
    const report = new kplus.CronJob(chart, 'Report', {
      metadata: { name: 'report' },
      schedule: Cron.daily(),
      containers: [{ image: IMAGE, securityContext: { ensureNonRoot: false } }],
    });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    api.allowFrom(Peer.workload(report), Port.tcp(8080));
    const objects = synth(chart);
    const cronJob = one(objects, 'CronJob', 'report');
    const podLabels = cronJob.spec.jobTemplate.spec.template.metadata.labels;
    expect(one(objects, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: podLabels } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'shop/report', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/report', to: 'shop/api', port: 9090 })).toBe(false);
  });

  test('a plain batch/v1 CronJob ApiObject (KubeCronJob): the labels of spec.jobTemplate.spec.template.metadata', () => {
    const chart = newChart('test', 'shop');
    const report = new kplus.k8s.KubeCronJob(chart, 'Report', {
      metadata: { name: 'report' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { metadata: { labels: { app: 'report' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: IMAGE }] } } } },
      },
    });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    api.allowTo(Peer.workload(report), Port.tcp(9000));
    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.egress).toContainEqual(
      { to: [{ podSelector: { matchLabels: { app: 'report' } } }], ports: [{ protocol: 'TCP', port: 9000 }] });
  });

  test('a CronJob whose pod template has no labels selects no pods, and is refused naming the call', () => {
    const chart = newChart('test', 'shop');
    const bare = new ApiObject(chart, 'Bare', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'bare' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: {} } } } });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    api.allowFrom(Peer.workload(bare), Port.tcp(8080));
    expect(() => synth(chart)).toThrow(new Error('test/Api: allowFrom(other): Peer.workload(test/Bare): CronJob bare selects no pods (no selector labels); '
      + 'give it a selector, or use Peer.pods({ labels }) to name the pods.'));
  });
});
