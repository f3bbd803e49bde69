/**
 * The Gateway side shared by `TlsGateway` and `SharedGateway`: the certificate of the HTTPS
 * listeners and the listener names.
 *
 * @internal
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import type * as gw from '../../imports/gateway.networking.k8s.io';
import { childName } from '../controllers/render';
import { hostCovered } from '../safety';
import { TlsCertificate } from '../tls-certificate';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gwMod = lazyModule((): typeof gw => require('../../imports/gateway.networking.k8s.io'));

/** The HTTPS listener of a host: `https.shop.example.com`, `https.wildcard.example.com`. @internal */
export function httpsListenerName(host: string): string {
  return `https.${host.replace(/^\*\./, 'wildcard.')}`;
}

/**
 * Checks that `cert` can serve a Gateway and covers every host, renders a cert-manager
 * Certificate when asked, and returns the Secret name and the Gateway annotations
 * (cert-manager's gateway-shim reads the same annotations as its ingress-shim).
 * @internal
 */
export function gatewayCertificate(scope: Construct, construct: string, cert: TlsCertificate, name: string, namespace: string | undefined,
  hosts: string[]):
  { secretName: string; annotations?: { [key: string]: string } } {
  if (cert._kind === 'acm' || cert._kind === 'gke-managed') {
    fail(scope, `${construct}.certificate is ${cert._description}, which a Gateway cannot reference; use TlsCertificate.secret(), certManager() or certManagerCertificate().`);
  }
  const uncovered = cert._spec.hosts ? hosts.filter((h) => !cert._spec.hosts!.some((n) => hostCovered(n, h))) : [];
  if (uncovered.length > 0) fail(scope, `${construct}.certificate covers ${cert._spec.hosts!.join(', ')}, which does not cover ${uncovered.join(', ')}; every host must be covered.`);
  const secretName = cert._spec.secretName ?? childName(name, 'tls');
  if (cert._kind === 'cert-manager-certificate') cert._renderCertificate(scope, 'Certificate', secretName, namespace, secretName, hosts);
  return { secretName, annotations: cert._kind === 'cert-manager' ? cert._shimAnnotations() : undefined };
}

/** The HTTPRoute on the plain-HTTP listener whose only rule redirects to HTTPS (301). @internal */
export function redirectRoute(scope: Construct, id: string, name: string, namespace: string | undefined,
  parentRefs: gw.HttpRouteSpecParentRefs[], hosts: string[]): ApiObject {
  return new gwMod.HttpRoute(scope, id, {
    metadata: { name, namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
    spec: {
      parentRefs,
      hostnames: [...hosts],
      rules: [{
        filters: [{
          type: gwMod.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
          requestRedirect: {
            scheme: gwMod.HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
            statusCode: gwMod.HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
          },
        }],
      }],
    },
  });
}
