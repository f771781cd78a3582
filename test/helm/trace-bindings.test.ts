import { ChartCompileError, traceBindings } from '../../lib/helm/trace-bindings';

/** The chart compiler's value tracing (lib/helm/trace-bindings.ts), on a small app of its own. */

type Values = { job: { schedule: string; retries: number; tag: string; suspend: boolean; mode: 'a' | 'b' } };
const reference: Values = { job: { schedule: '0 3 * * *', retries: 2, tag: '1.0.0', suspend: false, mode: 'a' } };
const schema = { type: 'object', properties: { job: { type: 'object', properties: { mode: { enum: ['a', 'b'] } } } } };

function cronJob(v: Values, extra: object = {}) {
  if (v.job.retries < 0 || !['a', 'b'].includes(v.job.mode)) throw new Error('invalid');
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cleanup' },
    spec: { schedule: v.job.schedule, suspend: v.job.suspend, jobTemplate: { spec: { backoffLimit: v.job.retries, template: { spec: { containers: [{ image: `app:${v.job.tag}`, args: [`--mode=${v.job.mode}`] }] } } } }, ...extra },
  };
}

const trace = (synthesize: (v: Values) => object[]) => traceBindings({
  references: [reference],
  synthesize: synthesize as (v: unknown) => object[],
  targets: new Map([['CronJob/cleanup', 0]]),
  objectKey: (o) => `${o.kind}/${o.metadata.name}`,
  covered: (_key, field) => field[0] === 'metadata',
  derived: [{ go: 'include "app.image" $', evaluate: (v) => `app:${(v as Values).job.tag}` }],
  schema,
});

test('each field a value drives is bound to it: as a value, a derived value, or text around it', () => {
  const holes = trace((v) => [cronJob(v)]).get('CronJob/cleanup')?.holes ?? [];
  expect(Object.fromEntries(holes.map((h) => [h.path.join('.'), h.kind === 'value' ? h.expr : h.kind]))).toEqual({
    'spec.schedule': '$v.job.schedule',
    'spec.suspend': '$v.job.suspend',
    'spec.jobTemplate.spec.backoffLimit': '$v.job.retries',
    'spec.jobTemplate.spec.template.spec.containers.0.image': 'include "app.image" $',
    'spec.jobTemplate.spec.template.spec.containers.0.args.0': 'printf "--mode=%v" $v.job.mode',
  });
});

test('an object that a boolean switches off exists only while the boolean is as in the reference', () => {
  expect(trace((v) => (v.job.suspend ? [] : [cronJob(v)])).get('CronJob/cleanup')?.conditions).toEqual(['not $v.job.suspend']);
});

test('a key that an empty string drops exists only while the string is set', () => {
  const traced = trace((v) => [cronJob(v, v.job.tag ? { tagged: v.job.tag } : {})]).get('CronJob/cleanup');
  expect(traced?.holes.filter((h) => h.path[1] === 'tagged')).toEqual([
    { kind: 'value', path: ['spec', 'tagged'], expr: '$v.job.tag' },
    { kind: 'when', path: ['spec', 'tagged'], cond: '$v.job.tag' },
  ]);
});

test('throws if an object exists only for some numbers', () => {
  expect(() => trace((v) => (v.job.retries > 2 ? [] : [cronJob(v)]))).toThrow(new ChartCompileError(['CronJob/cleanup disappears when job.retries changes: the chart compiler cannot make its existence depend on values']));
});

test('throws if an object that no reference has appears with a value', () => {
  expect(() => trace((v) => [cronJob(v), ...(v.job.suspend ? [{ kind: 'Job', metadata: { name: 'once' } }] : [])])).toThrow('Job/once appears when job.suspend changes: no reference values have it, so the chart cannot template it');
});

test('throws if a field appears with a value', () => {
  expect(() => trace((v) => [cronJob(v, v.job.retries > 2 ? { startingDeadlineSeconds: 60 } : {})])).toThrow('CronJob/cleanup spec.startingDeadlineSeconds appears when job.retries changes');
});

test('throws if a field changes in a way that is no value, derived value or text around one', () => {
  expect(() => trace((v) => [cronJob(v, { parallelism: v.job.retries * 2 })])).toThrow('CronJob/cleanup spec.parallelism changes with job.retries (4 to 6) in a way the chart compiler cannot express');
});

test('a map or list written as given is passed through, and exists only while it is not empty', () => {
  type WithMaps = Values & { job: { nodeSelector: Record<string, string>; tolerations: Array<{ operator: string }> } };
  const withMaps: WithMaps = { job: { ...reference.job, nodeSelector: { 'example.com/pool': 'a' }, tolerations: [{ operator: 'Exists' }] } };
  const traced = traceBindings({
    references: [withMaps],
    synthesize: (v) => {
      const { job } = v as WithMaps;
      const pod: Record<string, unknown> = { containers: [{ image: `app:${job.tag}` }] };
      if (Object.keys(job.nodeSelector).length) pod.nodeSelector = job.nodeSelector;
      if (job.tolerations.length) pod.tolerations = job.tolerations;
      return [{ kind: 'Job', metadata: { name: 'once' }, spec: { template: { spec: pod } } }];
    },
    targets: new Map([['Job/once', 0]]),
    objectKey: (o) => `${o.kind}/${o.metadata.name}`,
    covered: (_key, field) => field[0] === 'metadata',
    derived: [],
  }).get('Job/once');
  expect(traced?.holes.filter((h) => h.kind !== 'value')).toEqual([
    { kind: 'block', path: ['spec', 'template', 'spec', 'nodeSelector'], expr: 'toYaml $v.job.nodeSelector' },
    { kind: 'when', path: ['spec', 'template', 'spec', 'nodeSelector'], cond: '$v.job.nodeSelector' },
    { kind: 'block', path: ['spec', 'template', 'spec', 'tolerations'], expr: 'toYaml $v.job.tolerations' },
    { kind: 'when', path: ['spec', 'template', 'spec', 'tolerations'], cond: '$v.job.tolerations' },
  ]);
});

test('a value under a key with dots is referred to by its keys, not by splitting them', () => {
  const dotted = { labels: { 'example.com/team': 'a' } };
  const traced = traceBindings({
    references: [dotted],
    synthesize: (v) => [{ kind: 'ConfigMap', metadata: { name: 'c' }, data: { team: (v as typeof dotted).labels['example.com/team'] } }],
    targets: new Map([['ConfigMap/c', 0]]),
    objectKey: (o) => `${o.kind}/${o.metadata.name}`,
    covered: (_key, field) => field[0] === 'metadata',
    derived: [],
  }).get('ConfigMap/c');
  expect(traced?.holes.find((h) => h.kind === 'value')).toEqual({ kind: 'value', path: ['data', 'team'], expr: expect.stringContaining('"example.com/team"') });
});
