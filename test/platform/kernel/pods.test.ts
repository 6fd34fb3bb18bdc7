import { labelPodTemplates, podTemplatesIn } from '../../../platform/kernel/pods';

type Json = Record<string, any>;
const team = { team: 'observability' };

describe('labelPodTemplates', () => {
  it('labels the template of each workload kind, and no selector', () => {
    const template = () => ({ metadata: { labels: { app: 'a' } }, spec: { containers: [] } });
    const deployment: Json = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { selector: { matchLabels: { app: 'a' } }, template: template() },
    };
    const cronJob: Json = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template: template() } } },
    };
    expect(labelPodTemplates(deployment, team)).toBe(1);
    expect(labelPodTemplates(cronJob, team)).toBe(1);
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'a', team: 'observability' });
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'a' } });
    expect(cronJob.spec.jobTemplate.spec.template.metadata.labels).toEqual({
      app: 'a',
      team: 'observability',
    });
  });

  it("labels each node set of an Elasticsearch and Kibana's template, creating one where there is none", () => {
    const elasticsearch: Json = {
      apiVersion: 'elasticsearch.k8s.elastic.co/v1',
      kind: 'Elasticsearch',
      spec: { nodeSets: [{ name: 'hot', podTemplate: { spec: {} } }, { name: 'warm' }] },
    };
    const kibana: Json = { apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', spec: { count: 1 } };
    expect(labelPodTemplates(elasticsearch, team)).toBe(2);
    expect(labelPodTemplates(kibana, team)).toBe(1);
    expect(elasticsearch.spec.nodeSets.map((set: Json) => set.podTemplate.metadata.labels)).toEqual([
      team,
      team,
    ]);
    expect(kibana.spec.podTemplate).toEqual({ metadata: { labels: team } });
  });

  it('keeps a label the template sets itself, and leaves kinds without pods alone', () => {
    const job: Json = { kind: 'Job', spec: { template: { metadata: { labels: { team: 'platform' } } } } };
    const service: Json = { apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'a' } } };
    const other: Json = { apiVersion: 'example.io/v1', kind: 'Kibana', spec: { podTemplate: {} } };
    expect(labelPodTemplates(job, team)).toBe(1);
    expect(job.spec.template.metadata.labels).toEqual({ team: 'platform' });
    expect(labelPodTemplates(service, team)).toBe(0);
    // Another group's kind of the same name is not ECK's.
    expect(labelPodTemplates(other, team)).toBe(0);
    expect(service).toEqual({ apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'a' } } });
  });

  it('names where each template sits', () => {
    const elasticsearch = {
      apiVersion: 'elasticsearch.k8s.elastic.co/v1',
      kind: 'Elasticsearch',
      spec: { nodeSets: [{ podTemplate: {} }, { podTemplate: {} }] },
    };
    expect(podTemplatesIn(elasticsearch).map((located) => located.path)).toEqual([
      'spec.nodeSets[0].podTemplate',
      'spec.nodeSets[1].podTemplate',
    ]);
    expect(podTemplatesIn({ kind: 'Pod', metadata: {} }).map((located) => located.path)).toEqual(['']);
  });
});
