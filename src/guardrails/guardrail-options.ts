/* The public enums of the guardrails (the model itself is internal: guardrail-model.ts). */

/** What a guardrail rule does with the traffic it matches. */
export enum GuardrailAction {
  /** Allow it, whatever NetworkPolicies and baseline rules say (ClusterNetworkPolicy: `Accept`). */
  ALLOW = 'Allow',
  /** Deny it, whatever NetworkPolicies and baseline rules say. */
  DENY = 'Deny',
  /** Skip the remaining admin rules: NetworkPolicies (then the baseline) decide. Admin tier only. */
  PASS = 'Pass',
}

/** Where a guardrail rule sits in the precedence order. */
export enum GuardrailTier {
  /** Above NetworkPolicy: AdminNetworkPolicy, or ClusterNetworkPolicy tier `Admin`. */
  ADMIN = 'Admin',
  /** Below NetworkPolicy, for pods no NetworkPolicy decides: BaselineAdminNetworkPolicy, or tier `Baseline`. */
  BASELINE = 'Baseline',
}

/** The API the guardrails are written as when the policy engine is `kubernetes` or `calico`. */
export enum GuardrailApi {
  /** `AdminNetworkPolicy` + `BaselineAdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`, network-policy-api v0.1.8). */
  ADMIN_NETWORK_POLICY = 'AdminNetworkPolicy',
  /** `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, network-policy-api v0.2.0), tiers Admin and Baseline. */
  CLUSTER_NETWORK_POLICY = 'ClusterNetworkPolicy',
}
