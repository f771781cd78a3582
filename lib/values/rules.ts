import { type Expr, evaluate, holds, layoutGo, lit, quantityTemplate, type Scope, toGo } from '../../constructs/expr';

/**
 * A rule that spans several keys, the kind JSON Schema cannot say (a limit at least its request,
 * a budget, production's replicas). It is defined once, as expressions, and enforced twice from
 * that one definition: by synth (`problemsOf`) and by the chart (`rulesTemplate`, which `fail`s
 * with the same `path: message` line).
 */
export interface ValuesRule {
  /** True when the values break the rule. */
  readonly violated: Expr;
  /** The key the problem is blamed on. */
  readonly path: Expr | string;
  /** What is wrong, and what would be right. */
  readonly message: Expr | string;
}

const asExpr = (e: Expr | string): Expr => (typeof e === 'string' ? lit(e) : e);

/** The broken rules, in order: `{ path, message }` each. */
export function problemsOf(rules: readonly ValuesRule[], scope: Scope): Array<{ path: string; message: string }> {
  return rules.filter((r) => holds(r.violated, scope)).map((r) => ({
    path: String(evaluate(asExpr(r.path), scope)),
    message: String(evaluate(asExpr(r.message), scope)),
  }));
}

/**
 * The named templates `<prefix>.quantity` and `<prefix>.checkValues`: call the latter with
 * (dict "values" $resolved "user" .Values "preset" $preset); it fails at the first broken rule.
 */
export function rulesTemplate(rules: readonly ValuesRule[], prefix: string): string {
  const checks = rules.map((r) => `{{- if ${layoutGo(toGo(r.violated, prefix))} -}}
{{- fail (printf "%s: %s"
  ${layoutGo(toGo(asExpr(r.path), prefix))}
  ${layoutGo(toGo(asExpr(r.message), prefix))}) -}}
{{- end -}}`);
  return `${quantityTemplate(prefix)}

{{/* The cross-field rules of the values (generated from their one definition). */}}
{{- define "${prefix}.checkValues" -}}
{{- $v := .values -}}
{{- $u := .user -}}
{{- $p := .preset -}}
${checks.join('\n')}
{{- end }}`;
}
