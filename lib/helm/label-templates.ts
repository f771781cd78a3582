import { type LabelOptions, selectorLabels, standardLabels } from '../../constructs';
import { type Expr, toGoLines } from '../../constructs/expr';

/**
 * The label sets of the constructs (constructs/labels.ts) as Go templates, written from the same
 * functions the constructs use, so a chart cannot drift from dist/: each parameter is passed as
 * a marker and replaced by the template expression that supplies it.
 */
const PARAMETERS: Record<Exclude<keyof LabelOptions, 'partOf'>, string> = {
  instance: '.root.Release.Name',
  component: '.component',
  version: '.version',
  environment: '$v.environment',
  managedBy: '.root.Release.Service',
};
const marker = (name: string) => `\u0000${name}\u0000`;
const markers = Object.fromEntries(Object.keys(PARAMETERS).map((k) => [k, marker(k)])) as Record<keyof typeof PARAMETERS, string>;

/** A label set as a Go `dict` expression: each parameter's marker becomes its expression. */
function labelDict(labels: Record<string, string>): string {
  return `dict\n${Object.keys(labels).sort().map((key) => {
    const value = labels[key];
    const parameter = (Object.keys(PARAMETERS) as Array<keyof typeof PARAMETERS>).find((p) => value === markers[p]);
    return `  ${JSON.stringify(key)} (toString ${parameter ? PARAMETERS[parameter] : JSON.stringify(value)})`;
  }).join('\n')}`;
}

/**
 * `<prefix>.labels`: the labels of one component, the standard set of `partOf` (SPEC S4),
 * `helm.sh/chart`, `commonLabels`, and `.extra` (a pod's podLabels). The schema refuses extra
 * keys that the standard set holds, so the merge order never matters. `<prefix>.selectorLabels`:
 * the selector labels of one component, never the version.
 */
export function labelTemplates(prefix: string, partOf: string): string {
  return `{{/*
Labels of one component (SPEC S4). Call with (dict "root" $ "component" "backend" "version" "1.0.0" "environment" "local").
*/}}
{{- define "${prefix}.labels" -}}
{{- $v := include "${prefix}.values" .root | fromJson -}}
{{- $labels := ${labelDict({ ...standardLabels({ partOf, ...markers }) })} -}}
{{- $_ := set $labels "helm.sh/chart" (include "${prefix}.chart" .root) -}}
{{- toYaml (merge $labels (.extra | default dict) $v.commonLabels) -}}
{{- end }}

{{/* Selector labels of one component: never the version. Call with (dict "root" $ "component" "backend"). */}}
{{- define "${prefix}.selectorLabels" -}}
{{- toYaml (${labelDict(selectorLabels(markers))}) -}}
{{- end }}`;
}

/** `<prefix>.<name>`: a named template that computes a derived value from the effective values, compiled from its one expression. */
export function derivedTemplate(prefix: string, name: string, expr: Expr, comment: string): string {
  return `{{/* ${comment} */}}
{{- define "${prefix}.${name}" -}}
{{- $v := include "${prefix}.values" . | fromJson -}}
${toGoLines(expr, prefix).join('\n')}
{{- end }}`;
}
