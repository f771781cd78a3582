import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/**
 * The API server's verdict on objects, one per object, without changing anything: a server-side
 * apply with `dryRun=All` and `fieldValidation=Strict` (what `kubectl apply --server-side
 * --dry-run=server` sends). Admission runs too, Pod Security Admission included. This is the
 * oracle for the validator (SPEC S7, S10).
 */

/** One object's verdict. */
export interface ServerVerdict {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** True if the server would accept the object. */
  readonly allowed: boolean;
  /** HTTP status: 200/201 when allowed, 422 invalid, 403 forbidden (admission), 404 unknown kind... */
  readonly status: number;
  /** The server's message (empty when allowed). */
  readonly message: string;
  /** Warnings the server returned (the `Warning` headers). */
  readonly warnings: readonly string[];
}

/** The server and the token of a kubeconfig written by lib/cluster/cluster.ts. */
export interface ApiEndpoint {
  readonly server: string;
  readonly token: string;
}

/** Reads the server and token of the harness's kubeconfig. */
export function endpointOf(kubeconfig: string): ApiEndpoint {
  const text = readFileSync(kubeconfig, 'utf8');
  const server = /^\s*server: (\S+)$/m.exec(text)?.[1];
  const token = /^\s*token: (\S+)$/m.exec(text)?.[1];
  if (!server || !token) throw new Error(`${kubeconfig}: no server or token`);
  return { server, token };
}

interface Response { readonly status: number; readonly body: string; readonly warnings: string[] }

function call(endpoint: ApiEndpoint, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint.server}${path}`, {
      method,
      rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${endpoint.token}`, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        const header = res.headers.warning;
        // RFC 7234 warning values: `299 - "text"`, with `\"` and `\\` escaped inside the quotes.
        const warnings = (Array.isArray(header) ? header : header ? header.split(/,(?=\s*\d{3} )/) : [])
          .map((w) => w.trim().replace(/^\d+ \S+ "(.*)"$/, '$1').replace(/\\(["\\])/g, '$1'));
        resolve({ status: res.statusCode ?? 0, body: text, warnings });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** apiVersion + kind -> the resource's path segment and whether it is namespaced, from discovery. */
export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, { resource: string; namespaced: boolean }> | undefined>>();

  public constructor(private readonly endpoint: ApiEndpoint) {}

  public async resourceOf(apiVersion: string, kind: string): Promise<{ resource: string; namespaced: boolean } | undefined> {
    if (!this.cache.has(apiVersion)) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      this.cache.set(apiVersion, call(this.endpoint, 'GET', path).then((r) => {
        if (r.status !== 200) return undefined;
        const list = JSON.parse(r.body) as { resources: Array<{ name: string; kind: string; namespaced: boolean }> };
        return new Map(list.resources.filter((x) => !x.name.includes('/')).map((x) => [x.kind, { resource: x.name, namespaced: x.namespaced }]));
      }));
    }
    return (await this.cache.get(apiVersion))?.get(kind);
  }
}

/**
 * The server's verdict on each object (in order). Namespaced objects without a namespace go to
 * `defaultNamespace`, which must exist.
 */
export async function serverDryRun(endpoint: ApiEndpoint, objects: ReadonlyArray<Record<string, any>>, defaultNamespace = 'default', discovery = new Discovery(endpoint)): Promise<ServerVerdict[]> {
  const out: ServerVerdict[] = [];
  for (const object of objects) {
    const kind = String(object?.kind ?? '');
    const name = String(object?.metadata?.name ?? '');
    const mapping = typeof object?.apiVersion === 'string' ? await discovery.resourceOf(object.apiVersion, kind) : undefined;
    if (!mapping) {
      out.push({ kind, name, allowed: false, status: 404, message: `the server does not serve ${object?.apiVersion}/${kind}`, warnings: [] });
      continue;
    }
    const namespace = mapping.namespaced ? (object.metadata?.namespace ?? defaultNamespace) : undefined;
    const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const path = `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${mapping.resource}/${encodeURIComponent(name || 'unnamed')}`;
    const r = await call(endpoint, 'PATCH', `${path}?dryRun=All&fieldManager=todo-stack-dry-run&fieldValidation=Strict&force=true`, JSON.stringify(object), 'application/apply-patch+yaml');
    const allowed = r.status >= 200 && r.status < 300;
    let message = '';
    if (!allowed) {
      try {
        message = (JSON.parse(r.body) as { message?: string }).message ?? r.body;
      } catch {
        message = r.body;
      }
    }
    out.push({ kind, name, namespace, allowed, status: r.status, message, warnings: r.warnings });
  }
  return out;
}
