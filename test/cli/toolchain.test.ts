import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runProcess } from './support';

const tsc = (project: string) => runProcess(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project]);

describe('type-checking (npm test runs tsc -p . first)', () => {
  test('tsc fails on a type error, with the project settings', async () => {
    // Inside the repository (in the ignored .build/), so node_modules/@types resolve as for the project.
    const dir = join(ROOT, '.build', `tsc-check-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.ts'), "import { parseQuantity } from '../../constructs';\nconst n: string = parseQuantity('1Gi');\nexport { n };\n");
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), include: [join(dir, 'bad.ts')] }));
    const r = await tsc(join(dir, 'tsconfig.json'));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain("Type 'number' is not assignable to type 'string'");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('linting (npm test runs biome lint after tsc)', () => {
  test('biome fails on a lint error, with the project configuration', async () => {
    // Inside test/ (the configuration ignores .build/); removed at once, and this file's tests run in order.
    const file = join(ROOT, 'test', `lint-check-${process.pid}.ts`);
    writeFileSync(file, 'export function f(x: number): number {\n  debugger;\n  return x;\n}\n');
    try {
      const r = await runProcess(join(ROOT, 'node_modules/.bin/biome'), ['lint', file]);
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toContain('lint/suspicious/noDebugger');
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('the repository lints clean', async () => {
    const r = await runProcess(join(ROOT, 'node_modules/.bin/biome'), ['lint', ROOT]);
    expect({ code: r.code, tail: `${r.stdout}${r.stderr}`.trim().split('\n').pop() }).toEqual({ code: 0, tail: expect.stringMatching(/^Checked \d+ files in .*\. No fixes applied\.$/) });
  });
});
