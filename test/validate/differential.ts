import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateObjects } from '../../lib/validate/validator';
import { ROOT } from '../cli/support';
import { baselineObjects, type MutationCase, type Obj } from './mutations';

/**
 * The offline half of the differential test: a mutation case validated among the objects of its
 * kind (dist/production's and other-kinds.ts's, the one object replaced), counting the findings
 * on that object that mean "the API server would refuse it": schema errors, `api.*` rules and
 * duplicates. Policy rules (PSS, best practice, labels) are stricter than the server on purpose
 * and do not count.
 */

export interface OfflineVerdict {
  readonly rejects: boolean;
  readonly rules: readonly string[];
}

const SERVER_RULES = (id: string) => id === 'schema' || id === 'duplicate' || id.startsWith('api.');

/** The oracle's version, the API server the project builds (its pin in lib/cluster/go/kubernetes/go.mod): the validator targets it here. */
const ORACLE_VERSION = (() => {
  const pin = /^require k8s\.io\/kubernetes v(\d+)\.(\d+)\./m.exec(readFileSync(join(ROOT, 'lib/cluster/go/kubernetes/go.mod'), 'utf8'));
  if (!pin) throw new Error('lib/cluster/go/kubernetes/go.mod no longer pins k8s.io/kubernetes');
  return { major: Number(pin[1]), minor: Number(pin[2]) };
})();

let baseline: Obj[] | undefined;

export function offlineVerdict(c: MutationCase): OfflineVerdict {
  baseline ??= baselineObjects();
  // The rules that count are per object, but for duplicates: the objects of the same kind are enough.
  const inputs = baseline.filter((o) => o.kind === c.object.kind).map((o) => (`${o.kind}/${o.metadata.name}` === c.target ? { object: c.object, file: 'mutated' } : { object: o, file: 'baseline' }));
  const rules = [...new Set(validateObjects(inputs, { kubernetesVersion: ORACLE_VERSION }).findings.filter((f) => f.file === 'mutated' && f.status !== 'warning' && SERVER_RULES(f.ruleId)).map((f) => f.ruleId))];
  return { rejects: rules.length > 0, rules };
}

/** A recorded server verdict (test/validate/fixtures/server-verdicts.json). */
export interface RecordedVerdict {
  readonly id: string;
  readonly allowed: boolean;
  readonly message: string;
}

/**
 * Cases where the offline validator knowingly disagrees with the server, each with its reason.
 * The differential tests fail on any other disagreement.
 */
export const ALLOWLIST: Readonly<Record<string, string>> = {
  'Service/node-port-out-of-range': 'A server-side dry run does not run the node port allocator that enforces 30000-32767; a real create of port 80 is refused. The validator keeps the rule.',
};

export const FIXTURE = 'test/validate/fixtures/server-verdicts.json';
