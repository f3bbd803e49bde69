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

  private constructor() {}
}
