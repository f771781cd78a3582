/**
 * The guestbook: a public web tier and an autoscaled API that only the web tier may call, built
 * only on the public API of @todo-stack/constructs. Its configuration is plain data
 * (`GuestbookValues`); every value it derives from that data (the name prefix, the images, the
 * replica counts its constructs decide from) is one expression, which this file evaluates and a
 * chart compiler compiles into a Helm chart (examples/guestbook/chart.ts).
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  DefaultDenyNetworkPolicy, evaluate, type Expr, format, HardenedNamespace, lit, ne, PublicWebService, type PublicServiceType, ref, release,
  ScaledBackend, selectorLabels, slice, standardLabels, trimSuffix, when,
} from '@todo-stack/constructs';

/** The application's version: the platform objects' version label. */
export const GUESTBOOK_VERSION = '2.3.0';

export interface ImageValues {
  readonly repository: string;
  readonly tag: string;
}

export interface ResourceValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The guestbook's whole configuration. */
export interface GuestbookValues {
  readonly environment: string;
  readonly fullnameOverride: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly api: {
    readonly image: ImageValues;
    readonly replicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
    readonly resources: ResourceValues;
  };
  readonly web: {
    readonly image: ImageValues;
    readonly replicas: number;
    readonly service: { readonly type: PublicServiceType; readonly port: number };
    readonly resources: ResourceValues;
  };
}

const resources = (cpu: [string, string], memory: [string, string]): ResourceValues => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});

/** The presets `environment` picks. */
export const GUESTBOOK_PRESETS: Readonly<Record<'demo' | 'production', GuestbookValues>> = {
  demo: {
    environment: 'demo',
    fullnameOverride: '',
    commonLabels: {},
    api: { image: { repository: 'ghcr.io/example/guestbook-api', tag: '2.3.0' }, replicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 80, resources: resources(['100m', '300m'], ['96Mi', '192Mi']) },
    web: { image: { repository: 'ghcr.io/example/guestbook-web', tag: '2.3.0' }, replicas: 1, service: { type: 'NodePort', port: 80 }, resources: resources(['50m', '200m'], ['64Mi', '128Mi']) },
  },
  production: {
    environment: 'production',
    fullnameOverride: '',
    commonLabels: {},
    api: { image: { repository: 'ghcr.io/example/guestbook-api', tag: '2.3.0' }, replicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70, resources: resources(['200m', '500m'], ['128Mi', '256Mi']) },
    web: { image: { repository: 'ghcr.io/example/guestbook-web', tag: '2.3.0' }, replicas: 2, service: { type: 'LoadBalancer', port: 80 }, resources: resources(['100m', '300m'], ['96Mi', '192Mi']) },
  },
};

/** The longest name suffix is `-default-deny`: every name stays a 63-character DNS label. */
const FULLNAME_MAX = 63 - '-default-deny'.length;

/** The prefix of every object name: `fullnameOverride`, else the release name, cut to FULLNAME_MAX. */
export const FULLNAME: Expr = trimSuffix(slice(when(ne(ref('fullnameOverride'), lit('')), ref('fullnameOverride'), release()), 0, FULLNAME_MAX), '-');

/** The image reference of a component: `repository:tag`. */
export const imageOf = (component: 'api' | 'web'): Expr => format(ref(`${component}.image.repository`), ':', ref(`${component}.image.tag`));

/** The replica counts a component's constructs decide from (the API's HPA runs replicas to maxReplicas). */
export function replicaCounts(component: 'api' | 'web'): { minReplicas: Expr; maxReplicas: Expr } {
  return { minReplicas: ref(`${component}.replicas`), maxReplicas: ref(component === 'api' ? 'api.maxReplicas' : 'web.replicas') };
}

/** Props of {@link GuestbookChart}. */
export interface GuestbookChartProps {
  readonly values: GuestbookValues;
  /** The instance (release) name. */
  readonly release: string;
  /** The namespace every object goes to. @default 'guestbook' */
  readonly namespace?: string;
}

/** The guestbook's objects for one configuration. */
export class GuestbookChart extends Chart {
  public constructor(scope: Construct, id: string, props: GuestbookChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { values } = props;
    const namespace = props.namespace ?? 'guestbook';
    const scope_ = { values, release: props.release };
    const fullname = String(evaluate(FULLNAME, scope_));
    const number = (e: Expr) => Number(evaluate(e, scope_));
    const labels = (component: string, version: string) => ({
      labels: { ...values.commonLabels, ...standardLabels({ partOf: 'guestbook', instance: props.release, component, version, environment: values.environment }) },
      selectorLabels: selectorLabels({ instance: props.release, component }),
    });
    // What both workloads take from their values: name, labels, image, replicas, CPU and memory.
    const fromValues = (component: 'api' | 'web') => {
      const r = values[component].resources;
      return {
        name: `${fullname}-${component}`,
        namespace,
        ...labels(component, values[component].image.tag),
        image: String(evaluate(imageOf(component), scope_)),
        replicas: number(replicaCounts(component).minReplicas),
        cpu: { request: r.requests.cpu, limit: r.limits.cpu },
        memory: { request: r.requests.memory, limit: r.limits.memory },
      };
    };

    new HardenedNamespace(this, 'Namespace', { name: namespace, labels: labels('platform', GUESTBOOK_VERSION).labels });
    new DefaultDenyNetworkPolicy(this, 'DefaultDeny', { name: `${fullname}-default-deny`, namespace, labels: labels('platform', GUESTBOOK_VERSION).labels });

    const api = new ScaledBackend(this, 'Api', {
      ...fromValues('api'),
      description: 'Guestbook API: stores and lists entries.',
      port: 8080,
      healthPath: '/healthz',
      maxReplicas: number(replicaCounts('api').maxReplicas),
      targetCpuUtilizationPercentage: values.api.targetCPUUtilizationPercentage,
    });

    const web = new PublicWebService(this, 'Web', {
      ...fromValues('web'),
      description: 'Guestbook web UI, reached from outside the cluster.',
      port: 3000,
      servicePort: values.web.service.port,
      healthPath: '/',
      serviceType: values.web.service.type,
    });

    api.allowFrom(web);
  }
}
