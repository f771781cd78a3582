import type { ValuesProblem } from './problems';

/**
 * DEL and the C1 controls (U+007F to U+009F, NEL among them) in a value or a key: Helm 3 refuses
 * them ("yaml: control characters are not allowed") while Helm 4 takes them, and YAML 1.1 readers
 * fold NEL into a line break. So synth and both Helm majors refuse them, from this one
 * definition: synth's values reader checks it, and the chart's `<prefix>.refuseControl`
 * template, generated here, fails with the same line.
 */

/** The class, as a pattern JavaScript and Go read alike: synth's check and the chart's are one. */
const REFUSED_CONTROL_PATTERN = '[\\x7f-\\x9f]';
export const REFUSED_CONTROL = new RegExp(REFUSED_CONTROL_PATTERN);

const MESSAGE_TAIL = ' a control character (DEL or U+0080-U+009F, NEL among them), which is refused: Helm 3 cannot read them';

/** Every key and string value holding a refused control character, with its dotted path. */
export function controlCharacterProblems(data: unknown, source: string, path = ''): ValuesProblem[] {
  if (typeof data === 'string') {
    const found = REFUSED_CONTROL.exec(data);
    return found ? [{ source, path, message: `contains${MESSAGE_TAIL}` }] : [];
  }
  if (Array.isArray(data)) return data.flatMap((item, i) => controlCharacterProblems(item, source, `${path}[${i}]`));
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([key, value]) => {
      const at = path ? `${path}.${key}` : key;
      const found = REFUSED_CONTROL.exec(key);
      return found ? [{ source, path: at, message: `the key contains${MESSAGE_TAIL}` }] : controlCharacterProblems(value, source, at);
    });
  }
  return [];
}

/**
 * The named template `<prefix>.refuseControl`: fails at the first key or string of `.value`
 * holding such a character, with synth's line. Call it with (dict "path" "" "value" .Values).
 */
export function controlCharacterTemplate(prefix: string): string {
  const message = (what: string) => `"%s: ${what}${MESSAGE_TAIL}"`;
  return `{{- define "${prefix}.refuseControl" -}}
{{- $path := .path -}}
{{- if kindIs "string" .value -}}
{{- if regexMatch ${JSON.stringify(REFUSED_CONTROL_PATTERN)} .value }}{{ fail (printf ${message('contains')} $path) }}{{ end -}}
{{- else if kindIs "map" .value -}}
{{- range $key, $value := .value -}}
{{- $at := ternary $key (printf "%s.%s" $path $key) (eq $path "") -}}
{{- if regexMatch ${JSON.stringify(REFUSED_CONTROL_PATTERN)} $key }}{{ fail (printf ${message('the key contains')} $at) }}{{ end -}}
{{- include "${prefix}.refuseControl" (dict "path" $at "value" $value) -}}
{{- end -}}
{{- else if kindIs "slice" .value -}}
{{- range $i, $value := .value -}}
{{- include "${prefix}.refuseControl" (dict "path" (printf "%s[%d]" $path $i) "value" $value) -}}
{{- end -}}
{{- end -}}
{{- end }}`;
}
