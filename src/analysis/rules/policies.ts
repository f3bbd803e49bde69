/**
 * The NetworkPolicies of the input and the pods each selects, for the policy
 * coverage rules. Policies with invalid selectors are left to NET005.
 */
import { matchesSelector, parseSelector } from '../label-selector';
import { LabelSelector } from '../model';
import { ManifestIndex } from './manifest-index';
import { PodTemplate, TemplateIndex } from './pod-spec';
import { namespaceOf, SourcedObject } from './rule';

export interface PolicySelection {
  readonly policy: SourcedObject;
  readonly namespace: string;
  readonly selector: LabelSelector;
}

export function policySelections(objects: readonly SourcedObject[]): PolicySelection[] {
  const out: PolicySelection[] = [];
  for (const o of ManifestIndex.of(objects).ofKind('NetworkPolicy')) {
    if (o.object?.kind !== 'NetworkPolicy') {
      continue;
    }
    try {
      out.push({ policy: o, namespace: namespaceOf(o.object), selector: parseSelector(o.object.spec?.podSelector ?? {}, 'spec.podSelector', '') });
    } catch {
      // An invalid selector is reported by invalid-network-policy.
    }
  }
  return out;
}

export function selects(p: PolicySelection, t: PodTemplate, index?: TemplateIndex): boolean {
  if (index) return p.namespace === index.namespaceOf(t) && matchesSelector(p.selector, index.stringLabels(t));
  return p.namespace === namespaceOf(t.owner.object) && matchesSelector(p.selector, stringLabels(t.labels));
}


function stringLabels(labels: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    out[k] = String(v);
  }
  return out;
}
