import { request } from 'node:http';
import { eventually, items, kubectl, kubectlOk, uniqueName } from './support';

/**
 * Helpers of the real-node tests (test/cluster/*.node.ts): synthesize into a namespace, wait for
 * pods Ready through their own probes, call Services from the node, look into a pod.
 */

export function applyDir(dir: string): void {
  const r = kubectl(['apply', '--server-side', '-f', dir]);
  if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}`);
}

export function newNamespaceName(env: string): string {
  return uniqueName(`node-${env}`);
}

export function deleteNamespace(namespace: string): void {
  kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=180s']);
}

/**
 * Waits until the frontend answers through its Service from the node: kube-proxy programs a
 * Service's endpoints a moment after its pods become Ready, and rejects connections until then.
 */
export async function serving(namespace: string): Promise<void> {
  const url = serviceUrl(namespace, 'todo-frontend', '/api/health');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await get(url, 2000);
    if (r.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the frontend Service does not answer: ${r.status} ${r.error ?? r.body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Pods of a namespace, optionally of one component (app.kubernetes.io/name). */
export function pods(namespace: string, name?: string): Array<Record<string, any>> {
  return items(kubectlOk(['get', 'pods', '-n', namespace, ...(name ? ['-l', `app.kubernetes.io/name=${name}`] : []), '-o', 'json']));
}

const ready = (p: Record<string, any>) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp;

/**
 * Waits until every Deployment of the namespace has all its replicas Ready and up to date, and
 * returns the milliseconds it took from `since`.
 */
export async function allReady(namespace: string, since = Date.now(), timeoutMs = 120_000): Promise<number> {
  await eventually(`every pod of ${namespace} Ready`, () => {
    const deployments = items(kubectlOk(['get', 'deployments', '-n', namespace, '-o', 'json']));
    return deployments.length > 0 && deployments.every((d) => d.status.observedGeneration >= d.metadata.generation
      && d.status.updatedReplicas === d.spec.replicas && d.status.readyReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas)
      // Pods that ran to completion (a failed helm test pod) are not serving pods.
      && pods(namespace).filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase)).every(ready);
  }, timeoutMs, 200);
  return Date.now() - since;
}

/** A Service's cluster address and first port, as the node (and kube-proxy) see it. */
export function serviceUrl(namespace: string, service: string, path: string): string {
  const s = JSON.parse(kubectlOk(['get', 'service', service, '-n', namespace, '-o', 'json']));
  return `http://${s.spec.clusterIP}:${s.spec.ports[0].port}${path}`;
}

export interface HttpResult {
  readonly status: number;
  readonly body: string;
  readonly error?: string;
}

/** One GET from the node, on a new connection, with a timeout. */
export function get(url: string, timeoutMs = 5000): Promise<HttpResult> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ status: 0, body, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: '', error: e.message }));
    req.end();
  });
}

export async function getJson(url: string, timeoutMs = 5000): Promise<any> {
  const r = await get(url, timeoutMs);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.error ?? r.body}`);
  return JSON.parse(r.body);
}

/** What a frontend pod's own process meets when it GETs `url` (the stand-in's /api/fetch). */
export async function fetchFrom(namespace: string, url: string, via: 'frontend' | 'backend' = 'frontend'): Promise<{ ok: boolean; status: number; error?: string; dnsError?: boolean }> {
  const path = via === 'frontend' ? '/api/fetch' : '/api/upstream/fetch';
  return getJson(serviceUrl(namespace, 'todo-frontend', `${path}?url=${encodeURIComponent(url)}`), 15_000);
}

/** How the kernel sees PID 1 of a pod's container (the stand-in's `inspect`, run by kubectl exec). */
export function inspect(namespace: string, pod: string): any {
  return JSON.parse(kubectlOk(['exec', '-n', namespace, pod, '-c', 'app', '--', '/standin', 'inspect']));
}

/** Runs a busybox pod to completion in the namespace (hardened like the stack's), returning its log and phase. */
export async function runClient(namespace: string, script: string, labels: Record<string, string> = {}): Promise<{ phase: string; log: string }> {
  const name = uniqueName('client');
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { 'todo-stack.io/test-client': 'true', ...labels } },
    spec: {
      restartPolicy: 'Never', automountServiceAccountToken: false, enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'client', image: 'busybox:1.36.1', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      }],
    },
  };
  kubectlOk(['apply', '-f', '-'], JSON.stringify(pod));
  const phase = await eventually(`client pod ${name} to finish`, () => {
    const p = JSON.parse(kubectlOk(['get', 'pod', name, '-n', namespace, '-o', 'json']));
    return ['Succeeded', 'Failed'].includes(p.status.phase) ? (p.status.phase as string) : undefined;
  }, 60_000);
  const log = kubectl(['logs', '-n', namespace, name]).stdout;
  kubectl(['delete', 'pod', name, '-n', namespace, '--wait=false']);
  return { phase, log };
}

/** The reason a container of the namespace's pods waits in, with its message (CreateContainerConfigError, ...). */
export function waitingReasons(namespace: string): Array<{ pod: string; reason: string; message: string }> {
  return pods(namespace).flatMap((p) => (p.status.containerStatuses ?? []).filter((c: any) => c.state?.waiting).map((c: any) => ({
    pod: p.metadata.name as string, reason: c.state.waiting.reason as string, message: (c.state.waiting.message ?? '') as string,
  })));
}

/** Events of the namespace, as "reason: message" lines. */
export function events(namespace: string): string[] {
  return items(kubectlOk(['get', 'events', '-n', namespace, '-o', 'json'])).map((e) => `${e.reason}: ${e.message}`);
}
