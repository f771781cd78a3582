import { ENVIRONMENTS } from '../../apps/todo/values-schema';
import { manifestFiles } from '../../lib/output/manifest-files';
import { podsOf, selects } from '../../lib/validate/pod-spec';
import { stackOf } from './support';

describe.each(ENVIRONMENTS)('%s output', (env) => {
  const objects = stackOf(env);

  test('holds no Secret with data and no literal value for the three secret keys', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const text = [...manifestFiles(objects).values()].join('\n');
    for (const key of ['DATABASE_URL', 'OPENAI_API_KEY', 'BETTER_AUTH_SECRET']) {
      expect(text).not.toMatch(new RegExp(`${key}:`));
      expect(text).not.toMatch(new RegExp(`name: ${key}\\n\\s+value:`));
    }
    for (const pod of podsOf(objects)) {
      for (const c of pod.template.spec.containers) for (const e of c.env ?? []) expect(e.value).toBeUndefined();
    }
  });

  test('every Service selects pods that exist', () => {
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      expect(podsOf(objects).some((p) => selects({ matchLabels: svc.spec.selector }, p.template.metadata.labels))).toBe(true);
    }
  });

  test('every NetworkPolicy selects pods, and every pod is covered', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const np of policies) expect(podsOf(objects).some((p) => selects(np.spec.podSelector, p.template.metadata.labels))).toBe(true);
    for (const pod of podsOf(objects)) {
      const covering = policies.filter((np) => selects(np.spec.podSelector, pod.template.metadata.labels)).map((np) => np.metadata.name);
      expect(covering).toEqual(expect.arrayContaining(['todo-default-deny', pod.object.metadata.name]));
    }
  });

  test('every object carries the S4 labels', () => {
    for (const o of objects) {
      expect(Object.keys(o.metadata.labels)).toEqual(expect.arrayContaining([
        'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/component',
        'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by', 'app', 'tier', 'component', 'environment', 'version',
      ]));
      expect(o.metadata.labels).toMatchObject({ app: 'todo', 'app.kubernetes.io/part-of': 'todo', environment: env });
    }
  });
});

test('secrets.create is refused for dist/, which never holds secret values', () => {
  expect(() => stackOf('local', { secrets: { create: true } })).toThrow(/secrets.create: true is Helm-only/);
});
