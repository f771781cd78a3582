import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareObjectSets } from '../../lib/helm/equivalence';
import type { Obj } from '../support';
import { CHART, helm, helmObjects, MAJORS, synthObjects, synthRefusal, valuesFile } from './support';

/**
 * The edge cases the outside review found where synth and the chart disagreed (issue 14), each a
 * test of its own: both refuse with the same line, or both render the same objects as Go reads them.
 */

const presetFile = (env: string) => join(CHART, `values-${env}.yaml`);

describe.each(MAJORS)('Helm %i and synth agree', (major) => {
  test.each(['yes', 'on', '123', '0x1f', '1e3', 'null'])('existingSecret %s stays a string in the Secret references', async (name) => {
    const file = valuesFile({ secrets: { existingSecret: name } });
    const objects = await helmObjects(major, ['-f', file]);
    const refs = objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => (c.env ?? []).filter((e: Obj) => e.valueFrom?.secretKeyRef)));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.valueFrom.secretKeyRef.name).toBe(name);
    expect(compareObjectSets(synthObjects([file], []), objects)).toEqual([]);
  });

  test.each([['123', 'on'], ['on', 'yes'], ['0x1f', '123'], ['yes', 'null']])('release %s in namespace %s gives string names, labels and namespaces', async (release, namespace) => {
    const objects = await helmObjects(major, ['--namespace', namespace], release);
    for (const o of objects) {
      expect(typeof o.metadata.name).toBe('string');
      expect(o.metadata.namespace).toBe(namespace);
      expect(o.metadata.labels['app.kubernetes.io/instance']).toBe(release);
      for (const value of Object.values(o.metadata.labels)) expect(typeof value).toBe('string');
    }
  });

  test('-f values-local.yaml with another frontend service type renders as --set environment=local does: the preset\'s nodePort is dropped', async () => {
    const byFile = await helmObjects(major, ['-f', presetFile('local'), '--set', 'frontend.service.type=ClusterIP']);
    const bySet = await helmObjects(major, ['--set', 'environment=local', '--set', 'frontend.service.type=ClusterIP']);
    expect(compareObjectSets(bySet, byFile)).toEqual([]);
    expect(byFile.find((o) => o.kind === 'Service' && o.metadata.name === 'todo-frontend')?.spec.ports[0].nodePort).toBeUndefined();
    expect(compareObjectSets(synthObjects([presetFile('local')], ['frontend.service.type=ClusterIP']), byFile)).toEqual([]);
  });

  test('a nodePort of the user\'s own with another service type: both refuse it, with the same line', async () => {
    const line = 'frontend.service.nodePort: is only allowed with service type NodePort, not ClusterIP; remove it or set frontend.service.type=NodePort';
    const sets = ['frontend.service.type=ClusterIP', 'frontend.service.nodePort=30081'];
    const r = await helm(major, ['template', 'todo', CHART, '-f', presetFile('local'), ...sets.flatMap((s) => ['--set', s])]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(line);
    expect(synthRefusal([presetFile('local')], sets)).toBe(`values: ${line}`);
  });

  test('-f values-local.yaml with another frontend service type and the nodePort unset renders alike', async () => {
    const sets = ['frontend.service.type=LoadBalancer', 'frontend.service.nodePort=null'];
    const objects = await helmObjects(major, ['-f', presetFile('local'), ...sets.flatMap((s) => ['--set', s])]);
    expect(compareObjectSets(synthObjects([presetFile('local')], sets), objects)).toEqual([]);
  });

  test('environment: null after values-dev.yaml means unset, which is local, in both', async () => {
    const objects = await helmObjects(major, ['-f', presetFile('dev'), '--set', 'environment=null']);
    expect(objects.find((o) => o.kind === 'Deployment')?.metadata.labels.environment).toBe('local');
    expect(compareObjectSets(synthObjects([presetFile('dev')], ['environment=null'], 'local'), objects)).toEqual([]);
  });

  test.each([
    ['a bad image repository', ['backend.image.repository=Upper/App'], 'backend.image.repository'],
    ['a limit below its request', ['mcp.resources.limits.memory=64Mi'], 'mcp.resources.limits.memory: limit 64Mi is below the request 128Mi; a limit must be at least its request'],
    ['a zero CPU', ['frontend.resources.requests.cpu=0'], 'frontend.resources.requests.cpu'],
    ['a negative CPU', ['frontend.resources.limits.cpu=-1'], 'frontend.resources.limits.cpu'],
    ['a bad ingress host', ['frontend.ingress.enabled=true', 'frontend.ingress.host=a..b'], 'frontend.ingress.host'],
    ['an IP address as ingress host', ['frontend.ingress.enabled=true', 'frontend.ingress.host=10.0.0.1'], 'frontend.ingress.host'],
    ['a local stack over its budget', ['mcp.replicas=12'], '*.resources.requests.memory: the local requests total 2176Mi at maximum replicas, over the budget of 2048Mi'],
    ['a tag that cannot be a version label', ['backend.image.tag=_build'], 'backend.image.tag'],
  ])('throws if the values hold %s, in synth and in Helm', async (_what, sets, expected) => {
    expect(synthRefusal([], sets)).toContain(expected);
    const r = await helm(major, ['template', 'todo', CHART, ...sets.flatMap((s) => ['--set', s])]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/schema|execution error/);
    if (expected.includes(': ')) expect(r.stderr).toContain(expected);
  });
});

describe('control characters (DEL, C1, NEL): refused by synth and both Helm majors, naming the key', () => {
  const line = (path: string, key = false) => `${path}: ${key ? 'the key contains' : 'contains'} a control character (DEL or U+0080-U+009F, NEL among them), which is refused: Helm 3 cannot read them`;
  /** A values file that writes the characters as JSON escapes (\u007f): YAML refuses them raw in a file. */
  const escapedFile = (values: object) => {
    const file = valuesFile({});
    writeFileSync(file, JSON.stringify(values).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    return file;
  };

  test.each([['DEL', '\u007f'], ['U+0080', '\u0080'], ['NEL', '\u0085'], ['U+009F', '\u009f']])('%s in a value, by file and by --set', async (_name, c) => {
    const file = escapedFile({ commonAnnotations: { note: `a${c}b` } });
    expect(synthRefusal([file], [])).toBe(`${file}: ${line('commonAnnotations.note')}`);
    expect(synthRefusal([], [`commonAnnotations.note=a${c}b`])).toBe(`--set: ${line('commonAnnotations.note')}`);
    for (const major of MAJORS) {
      for (const args of [['-f', file], ['--set', `commonAnnotations.note=a${c}b`]]) {
        const r = await helm(major, ['template', 'todo', CHART, ...args]);
        expect({ major, args, code: r.code }).toEqual({ major, args, code: 1 });
        // Helm 3 refuses a DEL or a C1 other than NEL before any template runs, with its own words.
        if (major === 4 || c === '\u0085') expect(r.stderr).toContain(line('commonAnnotations.note'));
      }
    }
  });

  test('in a key', async () => {
    const file = escapedFile({ commonAnnotations: { 'a\u0085b': 'x' } });
    expect(synthRefusal([file], [])).toBe(`${file}: ${line('commonAnnotations.a\u0085b', true)}`);
    for (const major of MAJORS) expect((await helm(major, ['template', 'todo', CHART, '-f', file])).code).toBe(1);
  });

  test('written raw in a values file, YAML itself refuses it: synth names the file', async () => {
    const file = valuesFile({ commonAnnotations: { note: 'a\u007fb' } });
    expect(synthRefusal([file], [])).toBe(`${file}: (yaml): yaml: control characters are not allowed (as Helm reads it)`);
    for (const major of MAJORS) expect((await helm(major, ['template', 'todo', CHART, '-f', file])).code).toBe(1);
  });

  test('a BEL, a no-break space or a line separator is carried exactly', async () => {
    const sets = ['commonAnnotations.note=a\u0007b\u00a0c\u2028d'];
    for (const major of MAJORS) expect(compareObjectSets(synthObjects([], sets), await helmObjects(major, sets.flatMap((s) => ['--set', s])))).toEqual([]);
  });
});
