import { layoutGo, toGo } from '../../../constructs/expr';
import { userNodePort } from '../derived';
import { mapTemplate } from '../../../lib/helm/map-template';
import { EXPOSED_SERVICES, PRESETS } from '../environments';
import { configData } from '../todo-chart';
import { CHART_NAME } from './chart-name';

const CONFIG_DATA_TPL = mapTemplate({
  name: 'todo-stack.configData',
  valuesTemplate: 'todo-stack.values',
  fullnameTemplate: 'todo-stack.fullname',
  reference: PRESETS.local,
  recordPaths: ['config.extraEnv'],
  produce: configData,
});

/**
 * The Todo chart's own named templates, beside those the compiler writes (lib/helm/compile-chart.ts):
 * whether a preset node port is free, the Secret's name, and the ConfigMap data shared by the
 * ConfigMap and the checksum annotation, from `configData()` in `todo-chart.ts` by tracing it
 * (lib/helm/map-template.ts).
 */
export const HELPERS_TPL = `{{/*
Whether a service's nodePort may be written: always when the user set it (a clash then fails
loudly); for the preset's, only when no other Service in the cluster holds it (lookup; nothing
under helm template), so a second release with default values installs and gets a free port.
Call with (dict "root" $ "component" "frontend").
*/}}
{{- define "todo-stack.nodePortUsable" -}}
{{- $v := include "todo-stack.values" .root | fromJson -}}
{{- $u := .root.Values -}}
{{- $p := get (include "todo-stack.presets" .root | fromYaml) $v.environment -}}
{{- $user := dict ${EXPOSED_SERVICES.map((s) => `${JSON.stringify(s)} ${layoutGo(toGo(userNodePort(s), CHART_NAME))}`).join(' ')} -}}
{{- $port := int (get (get $v .component) "service").nodePort -}}
{{- $own := printf "%s-%s" (include "todo-stack.fullname" .root) .component -}}
{{- $namespace := .root.Release.Namespace -}}
{{- $taken := false -}}
{{- if not (get $user .component) -}}
{{- range (lookup "v1" "Service" "" "").items -}}
{{- if not (and (eq .metadata.name $own) (eq .metadata.namespace $namespace)) -}}
{{- range .spec.ports -}}
{{- if eq (int (.nodePort | default 0)) $port }}{{ $taken = true }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $taken }}true{{ end -}}
{{- end }}

{{/* Name of the Secret the pods read: created by the chart, or existing. */}}
{{- define "todo-stack.secretName" -}}
{{- $v := include "todo-stack.values" . | fromJson -}}
{{- if $v.secrets.create -}}
{{- printf "%s-secrets" (include "todo-stack.fullname" .) -}}
{{- else -}}
{{- $v.secrets.existingSecret -}}
{{- end -}}
{{- end }}

{{/*
ConfigMap data of one component, as JSON (valid YAML), so the ConfigMap and the checksum
annotation hash the same bytes as dist/. Call with (dict "root" $ "key" "backend").
Generated from configData() in apps/todo/todo-chart.ts (lib/helm/map-template.ts).
*/}}
${CONFIG_DATA_TPL}
`;
