import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUserValues } from '../../lib/cli/helm-values';
import { resolveGoYaml } from '../../lib/output/go-yaml';
import { ensureHelm, type HelmMajor } from '../../lib/tools/helm-binaries';
import { seededRandom } from '../support';
import { runProcess, synthCli, tempDir } from './support';

/**
 * SPEC S5 "One reading": a values file and a --set string mean to synth exactly what they mean
 * to Helm. Synth reads them through Helm 4 (lib/cli/helm-values.ts); the oracle here is Helm 3
 * and Helm 4 on their own command lines, through a chart whose only template prints
 * `toJson .Values`: the plumbing (files, order, nulls, errors) must lose nothing.
 */

const echoChart = (() => {
  const dir = tempDir('todo-stack-echo-');
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: echo\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), '');
  writeFileSync(join(dir, 'templates', 'values.yaml'), '{{ toJson .Values }}\n');
  return dir;
})();

/** What Helm makes of the flags: the values as JSON, or undefined if it refuses them. */
async function helmReads(major: HelmMajor, flags: readonly string[]): Promise<unknown> {
  const r = await runProcess(ensureHelm(major), ['template', 'echo', echoChart, ...flags]);
  if (r.code !== 0) return undefined;
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  return line === undefined ? {} : JSON.parse(line);
}

/** What synth makes of the same (it reads through Helm 4); undefined if refused. */
function synthReads(files: readonly string[], sets: readonly string[]): unknown {
  const read = readUserValues(files.map((text, i) => ({ path: `values-${i}.yaml`, text })), sets);
  return read.problems.length ? undefined : read.data;
}

const SCALARS = [
  '010', '08', '0x1F', '0X1f', '0o17', '0b101', '-0b101', '+0x10', '1_000', '0_10', '+12', '-0', '1e3', '1E-2', '.5', '-.5', '1.', '1.0', '0.1e2',
  '12345678901234567890', '18446744073709551616', '9223372036854775808', '-9223372036854775809', '1e400',
  'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'false', 'tRUE', '~', 'null', 'Null', 'NULL', '',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1:20', '0x', '0b', '0o', '.', '..', '.e3', '+', '-', 'o', 'oN', 'Infinity', '.NaN', 'nan',
  '"010"', "'on'", '"\\u00e9"', '"a\\tb"', '0777', '-010', '+010', '00', '0', '+0', '1__0',
];

describe('values files: synth reads them as Helm does', () => {
  test.each([3, 4] as const)('every tricky scalar, as a value and as a key (Helm %i)', async (major) => {
    const values = SCALARS.filter((s) => s !== '.NaN' && s !== '-').map((s, i) => `v${i}: ${s}`).join('\n');
    const refusedKeys = ['', '~', 'null', 'Null', 'NULL', '12345678901234567890', '9223372036854775808'];
    const keys = [...SCALARS, '1e6', '0.1', '3.14159265358979', '1e-5', '123456789', '-1.5e-7']
      .filter((s) => !refusedKeys.includes(s) && !/^[.+-]$|^\.\.$/.test(s)).map((s, i) => `k${i}:\n  ${s}: v`).join('\n');
    // Each key in a mapping of its own: keys that resolve alike (on, On, y) would collide, and Go
    // then keeps one of them in no fixed order.
    for (const text of [values, keys]) {
      const file = join(tempDir(), 'values.yaml');
      writeFileSync(file, text);
      const helmRead = await helmReads(major, ['-f', file]);
      expect(helmRead).toBeDefined();
      expect(synthReads([text], [])).toEqual(helmRead);
    }
  });

  test.each([3, 4] as const)('null and uint64 keys are refused by both (Helm %i)', async (major) => {
    for (const text of ['~: x', 'null: x', 'NULL: x', '12345678901234567890: x', '9223372036854775808: x']) {
      const file = join(tempDir(), 'values.yaml');
      writeFileSync(file, text);
      expect({ text, helm: await helmReads(major, ['-f', file]) }).toEqual({ text, helm: undefined });
      expect({ text, synth: synthReads([text], []) }).toEqual({ text, synth: undefined });
    }
  });

  test('the resolver behind the warnings (resolveGoYaml) reads every plain tricky scalar as Helm does', async () => {
    const plain = SCALARS.filter((s) => s !== '.NaN' && s !== '-' && !/^["']/.test(s));
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, plain.map((s, i) => `v${i}: ${s}`).join('\n'));
    const helmRead = (await helmReads(4, ['-f', file])) as Record<string, unknown>;
    const resolved = (s: string) => { const r = resolveGoYaml(s); return r ? r.value : s; };
    expect(plain.map((s) => [s, resolved(s)])).toEqual(plain.map((s, i) => [s, helmRead[`v${i}`] ?? null]));
  });

  test.each([3, 4] as const)('a NaN or an infinity is refused by both (Helm %i)', async (major) => {
    for (const text of ['a: .inf', 'a: -.Inf', 'a: .nan', 'a:\n  b: [1, .INF]']) {
      const file = join(tempDir(), 'values.yaml');
      writeFileSync(file, text);
      expect({ text, synth: synthReads([text], []) }).toEqual({ text, synth: await helmReads(major, ['-f', file]) });
    }
  });

  test.each([3, 4] as const)('anchors, merge keys, duplicates, nulls and layered files (Helm %i)', async (major) => {
    const texts = [
      'base: &b\n  x: 1\n  y: on\nderived:\n  <<: *b\n  y: 2\nlist: [*b, 010]\ndup: 1\ndup: 2\n',
      'derived:\n  x: null\nlist: ~\nnew:\n  deep: {a: 1, b: [0x10, "0x10"]}\n',
    ];
    const files = texts.map((t) => {
      const f = join(tempDir(), 'values.yaml');
      writeFileSync(f, t);
      return f;
    });
    expect(synthReads(texts, [])).toEqual(await helmReads(major, files.flatMap((f) => ['-f', f])));
  });
});

const SET_CASES = [
  'a=1', 'a=010', 'a=+3', 'a=-3', 'a=0', 'a=-0', 'a=00', 'a=1.5', 'a=1e3', 'a=True', 'a=FALSE', 'a=NULL', 'a=nUlL', 'a=yes', 'a=on', 'a=',
  'a=9223372036854775807', 'a=9223372036854775808', 'a=1_000', 'a=0x10',
  'a\\,b=1', 'a=x\\,y', 'a=x\\\\y', 'a=x\\=y', 'a\\.b=1', 'a.b=1,a.c=2', 'a.b.c.d=deep', 'a={x,y}', 'a={}', 'a={1,true,null}', 'a={x\\,y,z}',
  'a[0]=x', 'a[2]=x', 'a[0].b=1', 'a[0][1]=z', 'a[1]=x,a[0]=y', 'a=1,b=2,c=3', 'a=x=y', 'a=b,c', 'a', 'a,', 'a.=1', '.a=1', 'a[x]=1', 'a[-1]=1',
  'a={x,y', 'a=1,,b=2', 'a[0]', 'a.b', '=1', 'a==1', 'a={x},b=1', 'a={x}y', 'a=é,ü=ß', 'a=\u0085', 'a=1,a.b=2', 'a.b=1,a=2', 'a[0]=1,a.b=2',
];

describe('--set: synth reads it as Helm does', () => {
  test.each([3, 4] as const)('each case alone: both refuse, or both read the same values (Helm %i)', async (major) => {
    for (const expression of SET_CASES) {
      expect({ expression, values: synthReads([], [expression]) }).toEqual({ expression, values: await helmReads(major, ['--set', expression]) });
    }
  });

  test('a --set is parsed into the values of the files before it', async () => {
    const text = 'a:\n  b: 1\nlist: [x, y]\n';
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, text);
    const sets = ['a.c=2', 'list[1]=z'];
    expect(synthReads([text], sets)).toEqual(await helmReads(3, ['-f', file, ...sets.flatMap((s) => ['--set', s])]));
  });

  test('random --set strings (seeded): both refuse, or both read the same values', async () => {
    const random = seededRandom('random --set strings');
    const tokens = ['a', 'b', 'c', '.', '=', ',', '[0]', '[1]', '{', '}', '\\', '\\,', '010', '1', 'true', 'Null', 'x y', '+2', ''];
    for (let n = 0; n < 40; n++) {
      const expression = Array.from({ length: 1 + Math.floor(random() * 8) }, () => tokens[Math.floor(random() * tokens.length)]).join('');
      expect({ expression, values: synthReads([], [expression]) }).toEqual({ expression, values: await helmReads(3, ['--set', expression]) });
    }
  });
});

describe('surprising readings warn, naming the key', () => {
  test('a leading-zero integer in a values file is octal, as Helm reads it', async () => {
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, 'mcp:\n  replicas: 010\n');
    const root = tempDir();
    const r = await synthCli(['--env', 'dev', '--values', file, '--root', root, '--quiet']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'dist/dev/06-deployment-todo-mcp.yaml'), 'utf8')).toMatch(/^ {2}replicas: 8$/m);
    expect(r.stderr).toContain(`warning: ${file}: mcp.replicas: 010 is 8 (octal), as Helm reads it (YAML 1.1); quote it for a string or write 8`);
  });

  test('on in a values file is true, as Helm reads it', async () => {
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, 'frontend:\n  ingress:\n    enabled: on\n');
    const r = await synthCli(['--env', 'dev', '--values', file, '--root', tempDir(), '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${file}: frontend.ingress.enabled: on is true, as Helm reads it (YAML 1.1); quote it for a string`);
  });

  test('010 in --set stays a string, and the warning says a values file reads 8', async () => {
    const r = await synthCli(['--env', 'dev', '--set', 'mcp.replicas=010', '--root', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: --set: mcp.replicas: "010" stays the string "010" with --set, as Helm reads it (only integers without a leading zero, true, false and null are typed); a values file reads 8');
    expect(r.stderr).toContain('error: --set: mcp.replicas: expected an integer >= 1 and <= 1000, got "010"');
  });

  test('a key written twice warns that Helm keeps the last', async () => {
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, 'mcp:\n  replicas: 2\n  replicas: 3\n');
    const r = await synthCli(['--env', 'dev', '--values', file, '--root', tempDir(), '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('a key is written twice in one mapping; Helm keeps the last one');
  });
});
