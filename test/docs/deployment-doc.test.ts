import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_VERSION } from '../../apps/todo/helm/chart';
import { checkOverlay } from '../../apps/todo/values';
import { readUserValues } from '../../lib/cli/helm-values';
import { ROOT } from '../cli/support';

const docs = ['DEPLOYMENT.md', 'README.md'];
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** Command lines inside fenced code blocks, and inside `inline code`. */
function commandLines(doc: string): string[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const fenced = [...text.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  const inline = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline].map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

const allLines = docs.flatMap((doc) => commandLines(doc).map((line) => [doc, line] as const));

describe.each(docs)('%s commands match the repository', (doc) => {
  const lines = commandLines(doc);

  test('every npm run script exists', () => {
    const used = lines.flatMap((l) => [...l.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect([s, Object.keys(scripts)]).toEqual([s, expect.arrayContaining([s])]);
  });

  const found = (pattern: RegExp) => lines.flatMap((l) => [...l.matchAll(pattern)].map((m) => m[1]));
  // DEPLOYMENT.md must show them; README.md may.
  const atLeast = doc === 'DEPLOYMENT.md' ? 1 : 0;

  test('every kubectl apply -f dist/... folder exists', () => {
    const folders = found(/kubectl apply -f (dist\/[\w/-]+)/g);
    expect(folders.length).toBeGreaterThanOrEqual(atLeast);
    for (const f of folders) expect([f, existsSync(join(ROOT, f))]).toEqual([f, true]);
  });

  test('every script it names exists and is executable', () => {
    const named = found(/(scripts\/[\w-]+\.sh)/g);
    expect(named.length).toBeGreaterThanOrEqual(atLeast);
    for (const f of named) expect([f, existsSync(join(ROOT, f)) && (statSync(join(ROOT, f)).mode & 0o111) !== 0]).toEqual([f, true]);
  });
});

describe('helm and synth lines use real files and values keys', () => {
  const helmLines = allLines.filter(([, l]) => /\bhelm (install|upgrade|template|lint)\b.*(\.\/helm-wrapper|dist\/charts)/.test(l));
  const valueLines = allLines.filter(([, l]) => /--set /.test(l) && /\b(helm|npm run synth)\b/.test(l));

  test('the docs show helm install, upgrade and the packaged chart', () => {
    expect(helmLines.map(([, l]) => l).join('\n')).toMatch(/helm install todo \.\/helm-wrapper/);
    expect(helmLines.map(([, l]) => l).join('\n')).toMatch(/helm upgrade/);
  });

  test.each(helmLines)('%s: %s', (_doc, line) => {
    for (const m of line.matchAll(/-f (\S+)/g)) expect([m[1], existsSync(join(ROOT, m[1]))]).toEqual([m[1], true]);
    for (const m of line.matchAll(/dist\/charts\/todo-stack-([\d.]+)\.tgz/g)) expect(m[1]).toBe(CHART_VERSION);
  });

  test.each(valueLines)('%s: --set keys of "%s" are values keys', (_doc, line) => {
    for (const m of line.matchAll(/--set ([^\s=]+=[^\s]+)/g)) {
      const data = readUserValues([], [m[1].replace(/\.\.\.$/, 'x')]).data;
      expect(() => checkOverlay({ source: line, data })).not.toThrow();
    }
  });

  test('the README gives the setup and test commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
    expect(readme).toContain('kubectl create secret generic todo-secrets --namespace todo --from-env-file=.env');
  });

  test('.env.example lists the three secret keys with placeholders', () => {
    const env = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const key of ['DATABASE_URL', 'OPENAI_API_KEY', 'BETTER_AUTH_SECRET']) expect(env).toMatch(new RegExp(`^${key}=\\S+`, 'm'));
  });
});
