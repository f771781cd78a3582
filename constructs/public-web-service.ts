import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { propError } from './errors';
import { ServedWorkload, type ServedWorkloadProps } from './served-workload';
import { annotationMap, ingressClassName, ingressHost, ingressPathType, ingressTls } from './kubernetes-schemas';
import { validateInteger, validateShape } from './validation';

// The Ingress fields as the API server accepts them (kubernetes-schemas.ts, shared with the todo app's values schema).
const INGRESS_HOST = ingressHost().optional();
const INGRESS_CLASS = ingressClassName().optional();
const INGRESS_PATH_TYPE = ingressPathType().optional();
const INGRESS_ANNOTATIONS = annotationMap().optional();
const INGRESS_TLS = ingressTls().optional();

/** How a {@link PublicWebService} is reached from outside the cluster. */
export type PublicServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** An Ingress in front of the Service. */
export interface IngressOptions {
  /**
   * Host name the rule matches.
   * @default - every host
   */
  readonly host?: string;
  /**
   * IngressClass that serves it.
   * @default - the cluster's default IngressClass
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
   */
  readonly className?: string;
  /**
   * pathType of the path `/`.
   * @default 'Prefix'
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types
   */
  readonly pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /**
   * Annotations on the Ingress (`cert-manager.io/cluster-issuer`, controller settings).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * TLS: Secrets with certificates and the hosts they cover, as `helm create` takes them.
   * @default - no TLS
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
   */
  readonly tls?: ReadonlyArray<{ readonly secretName?: string; readonly hosts?: readonly string[] }>;
}

/** Props of {@link PublicWebService}. */
export interface PublicWebServiceProps extends ServedWorkloadProps {
  /**
   * Service type. `ClusterIP` is for an Ingress in front.
   * @default 'LoadBalancer'
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
   */
  readonly serviceType?: PublicServiceType;
  /**
   * Fixed node port, only with `serviceType: 'NodePort'` (30000-32767).
   * @default - Kubernetes picks one
   */
  readonly nodePort?: number;
  /**
   * An Ingress routing `/` to the Service.
   * @default - no Ingress
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
   */
  readonly ingress?: IngressOptions;
}

/**
 * A workload reached from outside the cluster: a {@link ScaledBackend}-style workload whose
 * Service is a NodePort or LoadBalancer (or ClusterIP behind an optional Ingress), and whose
 * NetworkPolicy admits any source on the container port.
 */
export class PublicWebService extends ServedWorkload {
  /** The Ingress, when `ingress` is set. */
  public readonly ingress?: k8s.KubeIngress;

  public constructor(scope: Construct, id: string, props: PublicWebServiceProps) {
    const type = props.serviceType ?? 'LoadBalancer';
    super(scope, id, props, { type, nodePort: props.nodePort });
    if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) {
      throw propError(this, 'serviceType', type, 'must be one of ClusterIP, NodePort, LoadBalancer');
    }
    if (props.nodePort !== undefined) {
      if (type !== 'NodePort') throw propError(this, 'nodePort', props.nodePort, `is only allowed with serviceType NodePort, not ${type}`, 'Remove nodePort or set serviceType: NodePort.');
      validateInteger(this, 'nodePort', props.nodePort, 30000, 32767, 'Node ports come from the 30000-32767 range.');
    }
    this.allowFromAnywhere();

    if (props.ingress) {
      const host = validateShape(this, 'ingress.host', INGRESS_HOST, props.ingress.host) || undefined;
      validateShape(this, 'ingress.className', INGRESS_CLASS, props.ingress.className);
      validateShape(this, 'ingress.pathType', INGRESS_PATH_TYPE, props.ingress.pathType);
      validateShape(this, 'ingress.annotations', INGRESS_ANNOTATIONS, props.ingress.annotations);
      validateShape(this, 'ingress.tls', INGRESS_TLS, props.ingress.tls);
      this.ingress = new k8s.KubeIngress(this, 'Ingress', {
        metadata: {
          name: this.name,
          namespace: this.namespace,
          labels: this.labels,
          annotations: Object.keys(props.ingress.annotations ?? {}).length ? { ...props.ingress.annotations } : undefined,
        },
        spec: {
          ingressClassName: props.ingress.className || undefined,
          tls: props.ingress.tls?.length
            ? props.ingress.tls.map((t) => ({ secretName: t.secretName || undefined, hosts: t.hosts?.length ? [...t.hosts] : undefined }))
            : undefined,
          rules: [{
            host,
            http: { paths: [{ path: '/', pathType: props.ingress.pathType ?? 'Prefix', backend: { service: { name: this.name, port: { name: 'http' } } } }] },
          }],
        },
      });
    }
  }
}
