import { formatCpu, formatMemory, parseQuantity } from '../../constructs';
import type { KubeObject } from '../validate/rule';
import type { ValidationReport } from '../validate/validator';

/** A resource budget: the most the sum of requests may reach. */
export interface Budget {
  readonly cpu: number;
  readonly memoryBytes: number;
}

interface Totals { cpuRequests: number; memRequests: number; cpuLimits: number; memLimits: number }

/**
 * A few lines a reviewer reads at a glance: objects by kind; CPU and memory requests and limits
 * at minimum and at maximum replicas (HPA max), beside the budget; findings and exemptions.
 */
export function environmentSummary(environment: string, objects: readonly KubeObject[], report: ValidationReport, budget?: Budget): string {
  const kinds = new Map<string, number>();
  for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  const min: Totals = { cpuRequests: 0, memRequests: 0, cpuLimits: 0, memLimits: 0 };
  const max: Totals = { ...min };
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef?.name === d.metadata?.name);
    const low = hpa ? hpa.spec.minReplicas ?? 1 : d.spec?.replicas ?? 1;
    const high = hpa ? hpa.spec.maxReplicas : low;
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      const r = c.resources ?? {};
      const add = (t: Totals, n: number) => {
        t.cpuRequests += n * parseQuantity(r.requests?.cpu ?? 0);
        t.memRequests += n * parseQuantity(r.requests?.memory ?? 0);
        t.cpuLimits += n * parseQuantity(r.limits?.cpu ?? 0);
        t.memLimits += n * parseQuantity(r.limits?.memory ?? 0);
      };
      add(min, low);
      add(max, high);
    }
  }
  const fmt = (t: Totals) => `requests ${formatCpu(t.cpuRequests)} CPU / ${formatMemory(t.memRequests)}, limits ${formatCpu(t.cpuLimits)} CPU / ${formatMemory(t.memLimits)}`;
  const budgetText = budget ? ` (budget for requests: ${formatCpu(budget.cpu)} CPU / ${formatMemory(budget.memoryBytes)})` : '';
  return [
    `${environment}: ${objects.length} objects - ${[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `  at min replicas: ${fmt(min)}`,
    `  at max replicas: ${fmt(max)}${budgetText}`,
    `  validation: ${report.findings.length} findings, ${report.exemptions.length} exemptions`,
  ].join('\n');
}
