import { toYaml } from '../output/manifest-files';
import { layoutGo } from '../../constructs/expr';

/**
 * Turns a synthesized object into a Helm template by punching "holes" into it: the object's
 * YAML stays exactly what the constructs produced, and only the fields that Helm values drive
 * become template actions. Static text is escaped, so a literal `{{` survives templating.
 */

/** A field path: map keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

export type Hole =
  /** Replace a scalar with `{{ expr }}` (add `| quote` in expr for strings). */
  | { readonly kind: 'value'; readonly path: FieldPath; readonly expr: string }
  /** Replace a scalar with template text of its own (for example an if/else yielding a number). */
  | { readonly kind: 'text'; readonly path: FieldPath; readonly text: string }
  /** Replace a map or list with YAML produced by `expr`, indented under its key. */
  | { readonly kind: 'block'; readonly path: FieldPath; readonly expr: string }
  /** Keep a map key (and everything under it) only when `cond` is true. */
  | { readonly kind: 'when'; readonly path: FieldPath; readonly cond: string }
  /** Drop a key. */
  | { readonly kind: 'drop'; readonly path: FieldPath };

export interface TemplateOptions {
  /** Go template lines before the object (variable definitions). */
  readonly preamble?: readonly string[];
  /** Render the object only when this is true. */
  readonly condition?: string;
}

const SENTINEL = (i: number) => `__TODO_STACK_HOLE_${i}__`;

/** Escapes literal template delimiters in static text: `{{` renders as `{{`. */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

function parentOf(root: any, path: FieldPath): any {
  let node = root;
  for (const key of path.slice(0, -1)) {
    node = node?.[key];
    if (node === undefined || node === null) throw new Error(`template hole path ${path.join('.')} does not exist`);
  }
  const last = path[path.length - 1];
  if (!(last in node)) throw new Error(`template hole path ${path.join('.')} does not exist`);
  return node;
}

/** Renames a map key in place, keeping the key order. */
function renameKey(node: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(node);
  for (const [k] of entries) delete node[k];
  for (const [k, v] of entries) node[k === from ? to : k] = v;
}

/**
 * A value hole's action: a field that is a string in the synthesized object stays a string in
 * YAML whatever it holds (`on`, `123`, `1e3`), so its expression is quoted.
 */
function valueExpr(expr: string, isString: boolean): string {
  return isString && !/\|\s*quote\s*$/.test(expr) ? `${expr} | quote` : expr;
}

/** A long line's actions laid out over several lines (Go templates allow newlines inside an action). */
function reflow(line: string): string {
  if (line.length <= 120) return line;
  const indent = ' '.repeat(line.search(/\S|$/) + 4);
  return line.replace(/\{\{(-? )(.+?)( -?)\}\}/g, (_all, open: string, pipeline: string, close: string) => `{{${open}${layoutGo(pipeline, indent)}${close}}}`);
}

/** Builds a template from an object and its holes. */
export function buildTemplate(object: unknown, allHoles: readonly Hole[], options: TemplateOptions = {}): string {
  const copy = structuredClone(object);
  // A block replaces everything under it, so holes inside a block have nothing left to fill.
  const blocks = allHoles.filter((h) => h.kind === 'block').map((h) => h.path.join('\u0000'));
  const holes = allHoles.filter((h) => !blocks.some((b) => h.path.join('\u0000').startsWith(`${b}\u0000`)));
  const stringHoles = new Set<number>();
  holes.forEach((hole, i) => {
    const parent = parentOf(copy, hole.path);
    const key = hole.path[hole.path.length - 1];
    if (hole.kind === 'value' && typeof parent[key] === 'string') stringHoles.add(i);
    if (hole.kind === 'drop') delete parent[key];
    else if (hole.kind === 'when') renameKey(parent, String(key), `${SENTINEL(i)}${String(key)}`);
    else parent[key] = SENTINEL(i);
  });

  let lines = escapeTemplateText(toYaml(copy)).split('\n');
  holes.forEach((hole, i) => {
    const token = SENTINEL(i);
    const at = lines.findIndex((l) => l.includes(token));
    if (hole.kind === 'drop') return;
    if (at < 0) throw new Error(`template hole ${i} (${hole.kind} ${hole.path.join(".")}) was lost in serialization`);
    const line = lines[at];
    if (hole.kind === 'value' || hole.kind === 'text') {
      lines[at] = line.replace(token, hole.kind === 'value' ? `{{ ${valueExpr(hole.expr, stringHoles.has(i))} }}` : hole.text);
      return;
    }
    const m = /^(\s*)(- )?(.*)$/.exec(line) as RegExpExecArray;
    const indent = m[1].length + (m[2] ? 2 : 0);
    if (hole.kind === 'block') {
      lines[at] = line.replace(` ${token}`, `{{- ${hole.expr} | nindent ${indent + 2} }}`);
      return;
    }
    // A key that opens a list item (`- host: x`): the item starts on the next line, so the key can go.
    const keyIndent = m[1].length + (m[2] ? 2 : 0);
    let end = at + 1;
    while (end < lines.length && lines[end].trim() !== '' && lines[end].search(/\S/) > keyIndent) end++;
    const pad = ' '.repeat(keyIndent);
    const key = `${pad}${m[3].replace(token, '')}`;
    const open = m[2] ? `${m[1]}- {{- if ${hole.cond} }}` : `${pad}{{- if ${hole.cond} }}`;
    lines = [...lines.slice(0, at), open, key, ...lines.slice(at + 1, end), `${pad}{{- end }}`, ...lines.slice(end)];
  });

  const body = lines.map(reflow).join('\n').replace(/\n+$/, '\n');
  const preamble = (options.preamble ?? []).join('\n');
  const head = preamble ? `${preamble}\n` : '';
  return options.condition ? `${head}{{- if ${options.condition} }}\n${body}{{- end }}\n` : `${head}${body}`;
}
