import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FULLNAME } from '../../apps/todo/derived';
import { type Expr, evaluate, format, let_, lit, ref, release, toGo, toGoLines, use, when, eq, length, le } from '../../constructs/expr';
import { tempDir } from '../cli/support';
import { helm } from './support';

/**
 * The expression language's two back ends agree (constructs/expr.ts): what synth evaluates is
 * what Helm renders from the compiled template, for named values (let_) declared as variables.
 */

const values = { word: 'todo', nameOverride: '', fullnameOverride: '', n: 3 };
const EXPRESSIONS: Record<string, Expr> = {
  named: let_('w', ref('word'), format(use('w'), '-', use('w'))),
  nested: let_('a', ref('word'), let_('b', format(use('a'), '!'), when(le(length(use('b')), lit(5)), use('b'), lit('long')))),
  fullname: FULLNAME,
  inner: format('x-', let_('r', release(), when(eq(use('r'), lit('rel')), use('r'), lit('other')))),
  // An inner let_ of the same name hides the outer one, in both back ends.
  shadowed: format('s-', let_('a', lit('outer'), let_('a', format(use('a'), '-inner'), use('a')))),
};

test('a let_ in a named template renders in Helm what synth evaluates', async () => {
  const chart = join(tempDir('todo-stack-expr-'), 'expr');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: expr\nversion: 0.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), JSON.stringify(values));
  const defines = Object.entries(EXPRESSIONS).map(([name, e]) => `{{- define "expr.${name}" -}}\n{{- $v := .Values -}}\n${toGoLines(e, 'expr').join('\n')}\n{{- end }}`);
  writeFileSync(join(chart, 'templates', '_expr.tpl'), defines.join('\n'));
  const data = Object.keys(EXPRESSIONS).map((name) => `  ${name}: {{ include "expr.${name}" . | quote }}`).join('\n');
  writeFileSync(join(chart, 'templates', 'out.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\ndata:\n${data}\n`);
  const r = await helm(4, ['template', 'rel', chart]);
  expect(r.stderr).toBe('');
  const expected = Object.entries(EXPRESSIONS).map(([name, e]) => `  ${name}: ${JSON.stringify(String(evaluate(e, { values, release: 'rel' })))}`);
  for (const line of expected) expect(r.stdout).toContain(line);
});

test('inline, a named value is written where it is used', () => {
  expect(toGo(EXPRESSIONS.named, 'expr')).toBe('(printf "%v-%v" ($v.word) ($v.word))');
});

test('throws if a name is used outside its let_', () => {
  expect(() => evaluate(use('nowhere'), { values })).toThrow('expression: nowhere is used outside the let_ that names it');
  expect(() => toGo(use('nowhere'), 'expr')).toThrow('expression: nowhere is used outside the let_ that names it');
});
