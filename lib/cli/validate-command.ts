import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { manifestPaths, parseManifestsParallel, readManifestFile } from '../validate/documents';
import { parseKubeVersion } from '../validate/api-versions';
import { ALL_RULES } from '../validate/rules';
import { validateObjects, type ValidationInput } from '../validate/validator';
import { parsingUsage, UsageError } from './errors';

export const VALIDATE_USAGE = `Usage: npm run validate -- [options] <file|folder|->...

Validates Kubernetes YAML or JSON (multi-document files, kind: List, folders) against the
Kubernetes OpenAPI schemas (strict: unknown fields and duplicated keys are errors) and the
policy rules (Pod Security Standards "restricted", hardening, cross-object, labels), and
kube-apiserver's own rules (api) for workloads, Pods, Services, Ingress and IngressClass,
ConfigMaps, Secrets, NetworkPolicies, PDBs, HPAs, PVCs, RBAC and PriorityClass; any other kind
gets the schema check only.
YAML is read as kubectl reads it (YAML 1.1: an unquoted yes is true, 0644 is 420), and a
field set to null is unset, as the API server takes it.

Options:
  --schema-only       Only the schema checks.
  --rules <prefix>    Only the policy rules whose id starts with the prefix (pss, bp, xref,
                      secrets, labels, api, apply, or a full id); repeatable. Add "schema" to keep
                      schema checks. A prefix that matches no rule is a usage error.
  --kubernetes-version <v>
                      The Kubernetes version the objects target (default 1.28, the chart's
                      minimum): API versions it does not serve are errors.
  --crd <file|folder> CustomResourceDefinitions to validate custom resources against, besides
                      those in the input; repeatable.
  --skip <kinds>      Kinds not to validate (Kind or group/version/Kind, comma-separated;
                      repeatable), as kubeconform's -skip.
  --ignore-missing-schemas
                      Skip objects whose kind has no known schema instead of failing them.
  --output <format>   text (default) or json.
  -h, --help          Show this help.

"-" reads standard input. Exit codes: 0 all valid, 1 invalid or errors, 2 bad usage.`;

/** Where the command reads and prints. */
export interface ValidateIo {
  readonly readStdin: () => string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs `npm run validate`; returns the exit code. */
export function runValidate(argv: readonly string[], io: ValidateIo): number {
  try {
    const parsed = parsingUsage(() => parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'schema-only': { type: 'boolean' },
        'kubernetes-version': { type: 'string' },
        crd: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        'ignore-missing-schemas': { type: 'boolean' },
        rules: { type: 'string', multiple: true },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(VALIDATE_USAGE);
      return 0;
    }
    const output = values.output ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got ${JSON.stringify(output)}`);
    if (positionals.length === 0) throw new UsageError('name at least one file, folder, or - for standard input');
    const kubernetesVersion = parseKubeVersion(values['kubernetes-version'] ?? '1.28');
    if (!kubernetesVersion) throw new UsageError(`--kubernetes-version must be a version such as 1.28, got ${JSON.stringify(values['kubernetes-version'])}`);
    for (const prefix of values.rules ?? []) {
      if (prefix !== 'schema' && !ALL_RULES.some((r) => r.id.startsWith(prefix))) {
        const families = [...new Set(ALL_RULES.map((r) => r.id.split('.')[0]))];
        throw new UsageError(`--rules ${JSON.stringify(prefix)} matches no rule; rule ids start with ${['schema', ...families].join(', ')}`);
      }
    }

    const inputs: ValidationInput[] = [];
    const files = new Set<string>();
    for (const p of positionals) {
      if (p === '-') {
        files.add('-');
        inputs.push(...parseManifestsParallel(io.readStdin(), 'stdin'));
        continue;
      }
      if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
      for (const file of manifestPaths(p)) {
        files.add(file);
        inputs.push(...readManifestFile(file));
      }
    }
    const crds = (values.crd ?? []).flatMap((p) => {
      if (!existsSync(p)) throw new UsageError(`--crd: no such file or folder: ${p}`);
      return manifestPaths(p).flatMap((file) => readManifestFile(file)).flatMap((i) => (i.object ? [i.object] : []));
    });
    const skip = (values.skip ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const report = validateObjects(inputs, {
      schemaOnly: values['schema-only'], rulePrefixes: values.rules, kubernetesVersion, crds, skip, ignoreMissingSchemas: values['ignore-missing-schemas'],
    });
    if (output === 'json') {
      io.out(JSON.stringify({ ...report, files: files.size }, null, 2));
    } else {
      for (const f of report.findings) io.out(f.line);
      for (const e of report.exemptions) io.out(`${e.file ? `${e.file} - ` : ''}${e.kind} ${e.object} is exempt from ${e.ruleId}: ${e.reason}`);
      io.out(`Summary: ${report.resources} resource${report.resources === 1 ? '' : 's'} found in ${files.size} file${files.size === 1 ? '' : 's'} - Valid: ${report.valid}, Invalid: ${report.invalid}, Errors: ${report.errors}${report.skipped ? `, Skipped: ${report.skipped}` : ''}${report.warnings ? `, Warnings: ${report.warnings}` : ''}${report.exemptions.length ? `, Exemptions: ${report.exemptions.length}` : ''}`);
    }
    return report.invalid === 0 && report.errors === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      io.err(VALIDATE_USAGE);
      return 2;
    }
    throw e;
  }
}

/** Reads all of standard input. */
export function readStdinSync(): string {
  return readFileSync(0, 'utf8');
}
