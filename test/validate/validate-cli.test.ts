import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runEntry, tempDir } from '../cli/support';

const validate = (args: string[], input?: string) => runEntry('lib/cli/validate-main.ts', args, { input });
const KUBECONFORM = join(ROOT, '..', 'shared', 'conformance', 'kubeconform');

describe('npm run validate (real CLI)', () => {
  test('the committed dist/ is valid, with a kubeconform-style summary', async () => {
    const r = await validate([join(ROOT, 'dist')]);
    expect(r.code).toBe(0);
    const files = ['local', 'dev', 'production'].flatMap((env) => readdirSync(join(ROOT, 'dist', env)));
    expect(r.stdout.trim().split('\n').pop()).toBe(`Summary: ${files.length} resources found in ${files.length} files - Valid: ${files.length}, Invalid: 0, Errors: 0`);
  });

  test('an invalid object gives one line and exit 1', async () => {
    const r = await validate(['--schema-only', join(KUBECONFORM, 'invalid.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('invalid.yaml - ReplicationController bob is invalid: schema /spec/replicas: expected integer');
    expect(r.stdout).toContain('Summary: 1 resource found in 1 file - Valid: 0, Invalid: 1, Errors: 0');
  });

  test('reads standard input with -', async () => {
    const r = await validate(['-'], readFileSync(join(ROOT, 'dist/local/06-deployment-todo-backend.yaml'), 'utf8'));
    // Alone, the Deployment's ServiceAccount and NetworkPolicies are missing: cross-object rules say so.
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stdin - Deployment todo/todo-backend is invalid: xref.netpol-covers-pods');
    expect(r.stdout).toContain('xref.service-account-exists');
  });

  test('--rules pss runs only the Pod Security Standards checks', async () => {
    const r = await validate(['--rules', 'pss', '-'], readFileSync(join(ROOT, 'dist/local/06-deployment-todo-backend.yaml'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0');
  });

  test('--output json is machine-readable', async () => {
    const r = await validate(['--output', 'json', '--schema-only', join(KUBECONFORM, 'multi_invalid.yaml')]);
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    expect(report).toMatchObject({ resources: 6, invalid: 1, valid: 5, errors: 0, files: 1 });
    expect(report.findings[0]).toMatchObject({ kind: 'Service', ruleId: 'schema', path: '/spec/ports/0/port' });
  });

  test('empty files, comments, Lists, JSON and folders are read', async () => {
    const r = await validate(['--schema-only', join(KUBECONFORM, 'blank.yaml'), join(KUBECONFORM, 'comment.yaml'), join(KUBECONFORM, 'list_valid.yaml'), join(KUBECONFORM, 'valid.json'), join(KUBECONFORM, 'folder')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Summary: \d+ resources found in 6 files - Valid: \d+, Invalid: 0, Errors: 0/);
  });

  test('an unknown kind and a duplicated key are errors', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dup.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    const r = await validate(['--schema-only', join(KUBECONFORM, 'test_crd.yaml'), join(dir, 'dup.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no schema for sagemaker.aws.amazon.com/v1/TrainingJob');
    expect(r.stdout).toMatch(/dup\.yaml:5 - \(document\) - failed validation: parse \/: Duplicated mapping key/);
    expect(r.stdout).toContain('Errors: 2');
  });

  test('bad usage exits 2', async () => {
    const r = await validate(['--output', 'xml', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output must be text or json');
  });
});

describe('Kubernetes version targeting, duplicates and --rules (SPEC S7)', () => {
  const deployment = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n`;

  test.each([
    ['apps/v1beta1', 'Deployment', 'removed in 1.16; use apps/v1'],
    ['extensions/v1beta1', 'Deployment', 'removed in 1.16; use apps/v1'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'removed in 1.25; use policy/v1'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'removed in 1.26; use autoscaling/v2'],
  ])('throws if %s %s is used: Kubernetes 1.28 does not serve it', async (apiVersion, kind, why) => {
    const r = await validate(['--schema-only', '-'], `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\nspec: {}\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`stdin - ${kind} web failed validation: schema apiVersion: ${apiVersion} ${kind} is not served by Kubernetes 1.28: it was ${why}`);
  });

  test('an API added after the target version is an error, and --kubernetes-version moves the target', async () => {
    const policy = 'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata:\n  name: f\nspec:\n  priorityLevelConfiguration:\n    name: p\n';
    const old = await validate(['--schema-only', '-'], policy);
    expect(old.stdout).toContain('flowcontrol.apiserver.k8s.io/v1 FlowSchema is not served by Kubernetes 1.28: it was added in 1.29');
    const recent = await validate(['--schema-only', '--kubernetes-version', '1.29', '-'], policy);
    expect(recent.stdout).not.toContain('not served');
  });

  test('throws if --kubernetes-version is not a version (exit 2)', async () => {
    const r = await validate(['--kubernetes-version', 'latest', '-'], deployment('apps/v1'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --kubernetes-version must be a version such as 1.28, got "latest"');
  });

  test('throws if the same object is defined twice in one input', async () => {
    const service = readFileSync(join(ROOT, 'dist/local/05-service-todo-mcp.yaml'), 'utf8');
    const r = await validate(['-'], `${service}---\n${service}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stdin - Service todo/todo-mcp is invalid: duplicate metadata.name: the same Service todo/todo-mcp is defined earlier in this input; kubectl apply would keep only the last one');
  });

  test('throws if a --rules prefix matches no rule (exit 2), listing the families', async () => {
    const r = await validate(['--rules', 'psss', join(ROOT, 'dist/local')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --rules "psss" matches no rule; rule ids start with schema, pss, api, apply, bp, xref, secrets, labels');
  });
});

describe('the upstream corpus (real rendered charts, Argo CD with its CRDs included)', () => {
  const UPSTREAM = join(ROOT, '..', 'shared', 'conformance', 'upstream');

  test('--schema-only reports every object valid: no false positive on CRD descriptions or x-kubernetes-* fields', async () => {
    const r = await validate(['--schema-only', UPSTREAM]);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^Summary: \d+ resources found in 5 files - Valid: (\d+), Invalid: 0, Errors: 0$/);
    expect(r.code).toBe(0);
  });

  test('the API-server rules find nothing either (--rules api)', async () => {
    const r = await validate(['--rules', 'api', UPSTREAM]);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/Invalid: 0, Errors: 0$/);
  });

  test('throws if a CRD schema holds a misspelled JSONSchemaProps field', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', description: 'ok', 'x-kubernetes-preserve-unknown-fields': true, descripton: 'typo' } } }],
      },
    };
    const r = await validate(['--schema-only', '-'], JSON.stringify(crd));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('schema /spec/versions/0/schema/openAPIV3Schema/descripton: unknown field');
    expect(r.stdout).not.toContain('openAPIV3Schema/description');
  });
});

describe('custom resources, --crd, --skip and --ignore-missing-schemas', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              port: {x-kubernetes-int-or-string: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  const widget = (name: string, spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

  test('a custom resource is validated against a CRD in the same input: valid, and unknown fields and bounds refused', async () => {
    const r = await validate(['--schema-only', '-'], `${crd}---\n${widget('ok', '{size: 2, port: http, extra: {anything: [1]}}')}---\n${widget('bad', '{size: 0, colour: red}')}`);
    expect(r.stdout).toContain("stdin - Widget bad is invalid: schema /spec/colour: unknown field (not in the CRD's schema; strict mode)");
    expect(r.stdout).toContain('stdin - Widget bad is invalid: schema /spec/size: must be >= 1 (CRD schema)');
    expect(r.stdout).toContain('Valid: 2, Invalid: 1, Errors: 0');
  });

  test('--crd gives the CRD from another file', async () => {
    const file = join(tempDir(), 'crd.yaml');
    writeFileSync(file, crd);
    const r = await validate(['--schema-only', '--crd', file, '-'], widget('ok', '{size: 3}'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Valid: 1, Invalid: 0, Errors: 0');
  });

  test('without its CRD, a custom resource is an error naming --crd', async () => {
    const r = await validate(['--schema-only', '-'], widget('ok', '{size: 3}'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('neither in the input nor given with --crd');
  });

  test('--ignore-missing-schemas and --skip skip objects, and say how many', async () => {
    const missing = await validate(['--schema-only', '--ignore-missing-schemas', '-'], widget('ok', '{size: 3}'));
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain('Valid: 0, Invalid: 0, Errors: 0, Skipped: 1');
    const skipped = await validate(['--schema-only', '--skip', 'Widget,Other', '-'], `${crd}---\n${widget('bad', '{size: 0}')}`);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('Valid: 1, Invalid: 0, Errors: 0, Skipped: 1');
  });
});

test('throws if a field newer than the target version is used, and --kubernetes-version accepts it', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      appArmorProfile: {type: RuntimeDefault}\n';
  const old = await validate(['--schema-only', '-'], pod);
  expect(old.code).toBe(1);
  expect(old.stdout).toContain('schema spec.containers[0].securityContext.appArmorProfile: is a field of Kubernetes 1.30 and later; Kubernetes 1.28 does not know it');
  expect((await validate(['--schema-only', '--kubernetes-version', '1.30', '-'], pod)).code).toBe(0);
});

test('a secret-named env literal holding a key is one finding (secrets.no-literal), not two', async () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n      - name: c\n        image: x:1\n        env:\n        - {name: OPENAI_API_KEY, value: sk-abcdefghijklmnopqrstuvwxyz123456}\n        - {name: UPSTREAM, value: "postgres://app:hunter2@db/app"}\n';
  const r = await validate(['--rules', 'secrets', '-'], deployment);
  expect(r.stdout.split('\n').filter((l) => l.includes('env[0]'))).toEqual([expect.stringContaining('secrets.no-literal')]);
  expect(r.stdout).toContain('secrets.value-looks-secret spec.template.spec.containers[0].env[1].value: UPSTREAM holds what looks like a URL with a password');
});

test('a ConfigMap key is never refused for its name alone: MAX_TOKENS is a warning, a key in its value an error', async () => {
  const configMap = (key: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ${key}: "${value}"\n`;
  const byName = await validate(['--rules', 'secrets', '-'], configMap('MAX_TOKENS', '4096'));
  expect(byName.code).toBe(0);
  expect(byName.stdout).toMatch(/warning.*secrets\.value-looks-secret data\["MAX_TOKENS"\]: MAX_TOKENS has a name that secrets often have/);
  const byValue = await validate(['--rules', 'secrets', '-'], configMap('MODEL_SETTING', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345'));
  expect(byValue.code).toBe(1);
  expect(byValue.stdout).toContain('MODEL_SETTING holds what looks like an API secret key (sk-...)');
});
