import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, uniqueId } from '../core/errors';
import { optionalBoolean, optionalString, requireInstance, requireObject, requireProps, requireString } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { IngressController } from './controllers/profile';

/** Whether IngressClass parameters are cluster-wide or per namespace. */
export enum IngressClassParametersScope {
  /** A cluster-scoped resource. */
  CLUSTER = 'Cluster',
  /** A resource in `namespace`. */
  NAMESPACE = 'Namespace',
}

/** A reference to the controller-specific resource that configures the class. */
export interface IngressClassParameters {
  /**
   * API group of the resource.
   * @default - the core group
   */
  readonly apiGroup?: string;
  /** Kind of the resource (`IngressParameters`). */
  readonly kind: string;
  /** Name of the resource. */
  readonly name: string;
  /**
   * Whether the resource is cluster-scoped or namespaced.
   * @default IngressClassParametersScope.CLUSTER
   */
  readonly scope?: IngressClassParametersScope;
  /**
   * Namespace of the resource; required with `IngressClassParametersScope.NAMESPACE`.
   * @default - none
   */
  readonly namespace?: string;
}

/** Props of `IngressClass`. */
export interface IngressClassProps {
  /** The controller that implements the class; its controller string becomes `spec.controller`. */
  readonly controller: IngressController;
  /**
   * The class name.
   * @default - the controller's class name (`IngressController.className`)
   */
  readonly name?: string;
  /**
   * Make this the cluster's default class (`ingressclass.kubernetes.io/is-default-class`):
   * Ingresses without a class get it. At most one class should be the default.
   * @default false
   */
  readonly isDefault?: boolean;
  /**
   * Controller-specific configuration.
   * @default - none
   */
  readonly parameters?: IngressClassParameters;
}

/**
 * A `networking.k8s.io/v1` IngressClass.
 *
 * IngressClass is cluster-scoped: it never carries `metadata.namespace`, even in a Chart that has
 * a namespace (cdk8s stamps the Chart namespace on every object, cdk8s#1558).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
 * @example
 * new IngressClass(chart, 'Traefik', { controller: IngressController.traefik(), isDefault: true });
 */
export class IngressClass extends Construct {
  /** The IngressClass object. */
  public readonly apiObject: ApiObject;
  /** The class name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: IngressClassProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    requireProps(this, 'IngressClass', props, 'give IngressClassProps, e.g. { controller: IngressController.traefik() }');
    requireInstance(this, 'IngressClass.controller', props.controller, IngressController, 'give an IngressController, e.g. IngressController.traefik()');
    optionalString(this, 'IngressClass.name', props.name, "give a class name such as 'traefik'");
    optionalBoolean(this, 'IngressClass.isDefault', props.isDefault, 'give true or false');
    if (props.parameters !== undefined) {
      requireObject(this, 'IngressClass.parameters', props.parameters, "give IngressClassParameters, e.g. { kind: 'IngressParameters', name: 'external' }");
      const f = 'IngressClass.parameters';
      requireString(this, `${f}.kind`, props.parameters.kind, "give a kind such as 'IngressParameters'");
      requireString(this, `${f}.name`, props.parameters.name, 'give the name of the parameters resource');
      optionalString(this, `${f}.apiGroup`, props.parameters.apiGroup, "give an API group such as 'k8s.example.com'");
      optionalString(this, `${f}.namespace`, props.parameters.namespace, 'give the namespace of the parameters resource');
    }
    const problem = props.controller._renderer.ingressClassProblem;
    if (problem) fail(this, `IngressClass.controller is ${props.controller.displayName}, which has no IngressClass: ${problem}; do not create one.`);
    this.name = props.name ?? props.controller.className;
    const nameProblem = dns1123SubdomainProblem(this.name);
    if (nameProblem) fail(this, `IngressClass.name "${this.name}" is not a valid IngressClass name; ${nameProblem}.`);
    const p = props.parameters;
    if (p) {
      if (!/^[A-Z][A-Za-z0-9]{0,62}$/.test(p.kind)) fail(this, `IngressClass.parameters.kind "${p.kind}" is not a Kubernetes kind (UpperCamelCase letters and digits).`);
      const n = dns1123SubdomainProblem(p.name);
      if (n) fail(this, `IngressClass.parameters.name "${p.name}" is not an object name; ${n}.`);
      if (p.apiGroup !== undefined && dns1123SubdomainProblem(p.apiGroup)) fail(this, `IngressClass.parameters.apiGroup "${p.apiGroup}" is not an API group.`);
      const scopeValue = p.scope ?? IngressClassParametersScope.CLUSTER;
      if (scopeValue === IngressClassParametersScope.NAMESPACE && p.namespace === undefined) {
        fail(this, 'IngressClass.parameters.scope is Namespace but parameters.namespace is not set; name the namespace of the parameters resource.');
      }
      if (scopeValue === IngressClassParametersScope.CLUSTER && p.namespace !== undefined) {
        fail(this, 'IngressClass.parameters.namespace is set but parameters.scope is Cluster; set scope to IngressClassParametersScope.NAMESPACE or remove the namespace.');
      }
      if (p.namespace !== undefined && dns1123LabelProblem(p.namespace)) fail(this, `IngressClass.parameters.namespace "${p.namespace}" is not a namespace name.`);
    }
    this.apiObject = new k8s.KubeIngressClass(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
        annotations: props.isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined,
      },
      spec: {
        controller: props.controller.controllerName,
        parameters: p
          ? { apiGroup: p.apiGroup, kind: p.kind, name: p.name, scope: p.scope ?? IngressClassParametersScope.CLUSTER, namespace: p.namespace }
          : undefined,
      },
    });
    // Cluster-scoped: remove the namespace a namespaced Chart stamps on every object (cdk8s#1558).
    if (Chart.of(this).namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
