import { Io, readInput, UsageError } from './io';
import { CheckFinding, runChecks } from '../analysis/check';
import { rules as selectRules } from '../analysis/rules';

/** The options of `cdk8s-net check`. */
export interface CheckValues {
  readonly 'json'?: boolean;
  readonly 'fail-on'?: string;
  readonly 'list-rules'?: boolean;
  readonly 'external-namespaces'?: string;
  readonly 'pss'?: string;
}

/** `cdk8s-net check`: exit 1 when a finding is at or above `--fail-on`. */
export function checkCommand(paths: string[], values: CheckValues, io: Io): number {
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning') {
    throw new UsageError(`--fail-on "${failOn}" is not error or warning.`);
  }
  const pss = values.pss ?? 'restricted';
  if (pss !== 'baseline' && pss !== 'restricted') {
    throw new UsageError(`--pss "${pss}" is not baseline or restricted.`);
  }
  const externalNamespaces = (values['external-namespaces'] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  const bad = externalNamespaces.find((n) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n));
  if (bad !== undefined) {
    throw new UsageError(`--external-namespaces: "${bad}" is not a namespace name (lower case alphanumeric characters or '-', at most 63).`);
  }
  const ruleList = selectRules({
    externalNamespaces,
    pss,
    howToDeclareNamespace: (ns) => `name it in --external-namespaces if it exists outside these manifests: --external-namespaces ${[...externalNamespaces, ns].join(',')}`,
  });
  if (values['list-rules']) {
    if (values.json) {
      io.stdout(JSON.stringify({ rules: ruleList.map(({ id, name, level, explanation }) => ({ id, name, level, explanation })) }, undefined, 2) + '\n');
    } else {
      io.stdout(ruleList.map((r) => `${r.id}  ${r.level.padEnd(7)}  ${r.name}: ${r.explanation}`).join('\n') + '\n');
    }
    return 0;
  }
  const objects = readInput(paths, io, 'not checked against a schema (kinds cdk8s-net does not know)');
  const findings = runChecks(objects, ruleList);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  if (values.json) {
    io.stdout(JSON.stringify({ findings, summary: { objects: objects.length, errors, warnings } }, undefined, 2) + '\n');
  } else {
    for (const f of findings) {
      io.stdout(formatFinding(f) + '\n');
    }
    io.stdout(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(objects.length, 'object')}.\n`);
  }
  return errors > 0 || (failOn === 'warning' && warnings > 0) ? 1 : 0;
}

/** `error NET010 Service shop/api (dist/app.yaml:12): message [service-selector-matches-no-pods]` */
export function formatFinding(f: CheckFinding): string {
  return `${f.level} ${f.ruleId} ${f.resource}${f.source ? ` (${f.source})` : ''}: ${f.message} [${f.rule}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
