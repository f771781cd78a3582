import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { configChecksum } from './checksum';
import { propError } from './errors';
import { CONFIG_KEY_PATTERN, validateDnsSubdomain } from './validation';

/** Props of {@link ChecksummedConfigMap}. */
export interface ChecksummedConfigMapProps {
  /** `metadata.name`. */
  readonly name: string;
  /**
   * Namespace.
   * @default - no namespace field
   */
  readonly namespace?: string;
  /** Labels of the ConfigMap. */
  readonly labels: Readonly<Record<string, string>>;
  /** Non-sensitive settings; keys are environment variable names. Never put secrets here. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * A ConfigMap that knows the checksum of its content, so workloads that attach it
 * (`HardenedDeployment.attachConfigMap`) roll when it changes.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class ChecksummedConfigMap extends Construct {
  /** `metadata.name`. */
  public readonly name: string;
  /** The data, as written. */
  public readonly data: Readonly<Record<string, string>>;
  /** SHA-256 of the data in Go's JSON encoding (equal to Helm's `toJson | sha256sum`). */
  public readonly checksum: string;

  public constructor(scope: Construct, id: string, props: ChecksummedConfigMapProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(this, 'name', props.name);
    for (const key of Object.keys(props.data)) {
      if (!CONFIG_KEY_PATTERN.test(key)) throw propError(this, 'data key', key, 'must consist of alphanumerics, "-", "_" or "."');
    }
    this.data = { ...props.data };
    this.checksum = configChecksum(this.data);
    // An ApiObject with the ConfigMap's fields, not k8s.KubeConfigMap: the generated
    // toJson_KubeConfigMapProps copies the data map once per key (a reduce with spread), which is
    // quadratic: 16,000 keys took minutes. The object written is the same.
    new ApiObject(this, 'Resource', {
      apiVersion: k8s.KubeConfigMap.GVK.apiVersion,
      kind: k8s.KubeConfigMap.GVK.kind,
      metadata: { name: this.name, namespace: props.namespace, labels: { ...props.labels } },
      data: this.data,
    });
  }
}
