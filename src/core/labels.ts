/** Label keys this library writes and selects on. */
export class LabelKeys {
  /** The immutable namespace name label the control plane sets on every namespace. */
  public static readonly NAMESPACE_NAME = 'kubernetes.io/metadata.name';
  /** Selects the pods of one workload of this library. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** Marks objects written by this library. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** The value of `app.kubernetes.io/managed-by`. */
  public static readonly MANAGED_BY_VALUE = 'cdk8s-secure-networking';
  /**
   * Annotation on a Gateway naming its data-plane pods as JSON (`{"namespace":...,"labels":{...}}`),
   * so the analyzer (`reach`, `graph`) shows the gateway's connections to its backends.
   */
  public static readonly GATEWAY_DATA_PLANE = 'cdk8s-net.io/gateway-data-plane';

  private constructor() {}
}
