import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript-5';

/**
 * API documentation of a package, generated from its doc comments: every export of the entry
 * point, with its summary; every property of an exported interface (construct props) with its
 * type, `@default` and `@see`; every public member of an exported class. TypeScript 7 has no
 * JavaScript API, so this reads the sources with the TypeScript 5 installed beside it
 * (`typescript-5`, a dev dependency), as TypeDoc would.
 */

export interface ApiProperty {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly description: string;
  readonly default?: string;
  readonly see?: string;
}

export interface ApiExport {
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'function' | 'const' | 'type';
  readonly description: string;
  readonly signature: string;
  readonly members: readonly ApiProperty[];
}

function typescript(root: string): typeof TS {
  return createRequire(join(root, 'package.json'))('typescript-5') as typeof TS;
}

/** Every export of `entry`, documented. */
export function readApi(root: string, entry: string): ApiExport[] {
  const ts = typescript(root);
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  const text = (parts: TS.SymbolDisplayPart[]) => ts.displayPartsToString(parts).replace(/\s+/g, ' ').trim();
  const tag = (symbol: TS.Symbol, name: string) => {
    const found = symbol.getJsDocTags(checker).find((t) => t.name === name);
    return found ? text(found.text ?? []) || '(none)' : undefined;
  };
  const member = (symbol: TS.Symbol, at: TS.Node): ApiProperty => {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    const optional = Boolean(declaration && ts.isPropertySignature(declaration) && declaration.questionToken);
    return {
      name: symbol.getName(),
      type: checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, at), undefined, ts.TypeFormatFlags.NoTruncation),
      optional,
      description: text(symbol.getDocumentationComment(checker)),
      default: tag(symbol, 'default'),
      see: tag(symbol, 'see'),
    };
  };
  return checker.getExportsOfModule(moduleSymbol).map((exported): ApiExport => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0] as TS.Node;
    const description = text(symbol.getDocumentationComment(checker));
    const signature = (node: TS.Node) => node.getText().split('{')[0].replace(/\s+/g, ' ').trim();
    if (ts.isInterfaceDeclaration(declaration)) {
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      return { name: symbol.getName(), kind: 'interface', description, signature: signature(declaration), members: type.getProperties().map((p) => member(p, declaration)) };
    }
    if (ts.isClassDeclaration(declaration)) {
      const hidden = (m: TS.ClassElement) => (ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
      const publicMembers = declaration.members.filter((m) => !hidden(m))
        .filter((m) => m.name && (ts.isPropertyDeclaration(m) || ts.isMethodDeclaration(m)));
      const members = publicMembers.map((m) => {
        const s = checker.getSymbolAtLocation(m.name as TS.Node) as TS.Symbol;
        return { ...member(s, m), type: ts.isMethodDeclaration(m) ? signature(m).replace(/^public\s+/, '') : member(s, m).type };
      });
      const ctor = declaration.members.find(ts.isConstructorDeclaration);
      return { name: symbol.getName(), kind: 'class', description, signature: `${signature(declaration)}${ctor ? `\n${signature(ctor).replace(/^public\s+/, '')}` : ''}`, members };
    }
    if (ts.isFunctionDeclaration(declaration)) return { name: symbol.getName(), kind: 'function', description, signature: signature(declaration).replace(/^export\s+/, ''), members: [] };
    if (ts.isTypeAliasDeclaration(declaration)) return { name: symbol.getName(), kind: 'type', description, signature: declaration.getText().replace(/\s+/g, ' ').replace(/^export\s+/, ''), members: [] };
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration), undefined, ts.TypeFormatFlags.NoTruncation);
    return { name: symbol.getName(), kind: 'const', description, signature: `const ${symbol.getName()}: ${type}`, members: [] };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The API reference as Markdown. */
export function apiMarkdown(title: string, api: readonly ApiExport[]): string {
  const order: ApiExport['kind'][] = ['class', 'interface', 'function', 'const', 'type'];
  const headings: Record<ApiExport['kind'], string> = { class: 'Constructs and classes', interface: 'Props and interfaces', function: 'Functions', const: 'Constants', type: 'Types' };
  const sections = order.filter((k) => api.some((e) => e.kind === k)).map((kind) => {
    const entries = api.filter((e) => e.kind === kind).map((e) => {
      const table = e.members.length
        ? `\n| member | type | description |\n| --- | --- | --- |\n${e.members.map((m) => `| \`${m.name}${m.optional ? '?' : ''}\` | \`${cell(m.type)}\` | ${cell(m.description || '-')}${m.default ? ` Default: ${cell(m.default)}.` : ''}${m.see ? ` See ${cell(m.see)}.` : ''} |`).join('\n')}\n`
        : '';
      return `### ${e.name}\n\n${e.description || '-'}\n\n\`\`\`ts\n${e.signature}\n\`\`\`\n${table}`;
    });
    return `## ${headings[kind]}\n\n${entries.join('\n')}`;
  });
  return `<!-- Generated by npm run docs:constructs (lib/package/api-docs.ts) from the doc comments. Do not edit. -->\n# ${title} API\n\n${sections.join('\n')}`;
}
