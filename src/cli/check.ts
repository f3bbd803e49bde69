import { Io, readInput, UsageError } from './io';
import { CheckFinding, runChecks } from '../analysis/check';
import { RULES } from '../analysis/rules';

/** `cdk8s-net check`: exit 1 when a finding is at or above `--fail-on`. */
export function checkCommand(paths: string[], values: { 'json'?: boolean; 'fail-on'?: string; 'list-rules'?: boolean }, io: Io): number {
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning') {
    throw new UsageError(`--fail-on "${failOn}" is not error or warning.`);
  }
  if (values['list-rules']) {
    if (values.json) {
      io.stdout(JSON.stringify({ rules: RULES.map(({ id, name, level, explanation }) => ({ id, name, level, explanation })) }, undefined, 2) + '\n');
    } else {
      io.stdout(RULES.map((r) => `${r.id}  ${r.level.padEnd(7)}  ${r.name}: ${r.explanation}`).join('\n') + '\n');
    }
    return 0;
  }
  const objects = readInput(paths, io, 'not checked against a schema (kinds cdk8s-net does not know)');
  const findings = runChecks(objects);
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
