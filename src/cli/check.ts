import { CommandIo, namespaceOption, outputFormat, readInput, UsageError, Values } from './io';
import { version } from './version';
import { CheckFinding, runChecks } from '../analysis/check';
import { Rule, rules as selectRules } from '../analysis/rules';
import { toSarif } from '../analysis/sarif';

/** `cdk8s-net check`: exit 1 when a finding is at or above `--fail-on`. */
export function checkCommand(paths: string[], values: Values, io: CommandIo): number {
  const format = outputFormat(values, ['text', 'json', 'sarif']);
  const failOn = values['fail-on'] === undefined ? 'error' : String(values['fail-on']);
  if (failOn !== 'error' && failOn !== 'warning') {
    throw new UsageError(`--fail-on "${failOn}" is not error or warning.`);
  }
  const pss = values.pss === undefined ? 'restricted' : String(values.pss);
  if (pss !== 'baseline' && pss !== 'restricted') {
    throw new UsageError(`--pss "${pss}" is not baseline or restricted.`);
  }
  if (values.quiet && values.summary) {
    throw new UsageError('--quiet and --summary contradict each other; give one.');
  }
  const namespace = namespaceOption(values);
  const externalNamespaces = String(values['external-namespaces'] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
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
    listRules(ruleList, format, io);
    return 0;
  }
  const objects = readInput(paths, io, 'not checked against a schema (kinds cdk8s-net does not know)', { namespace });
  const findings = runChecks(objects, ruleList);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  const failing = (f: CheckFinding) => f.level === 'error' || failOn === 'warning';
  if (format === 'json') {
    io.stdout(JSON.stringify({ findings, summary: { objects: objects.length, errors, warnings } }, undefined, 2) + '\n');
  } else if (format === 'sarif') {
    io.stdout(JSON.stringify(toSarif(findings, ruleList, { version: version(), workingDirectory: process.cwd() }), undefined, 2) + '\n');
  } else {
    const total = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(objects.length, 'object')}.`;
    if (values.summary) {
      const byRule = new Map<string, number>();
      for (const f of findings) {
        const key = `${f.level} ${f.ruleId} ${f.rule}`;
        byRule.set(key, (byRule.get(key) ?? 0) + 1);
      }
      io.stdout([...byRule].map(([key, n]) => `${String(n).padStart(5)}  ${key}\n`).join('') + `${total}\n`);
    } else {
      for (const f of values.quiet ? findings.filter(failing) : findings) {
        io.stdout(formatFinding(f, io) + '\n');
      }
      if (!values.quiet) {
        io.stdout(`${total}\n`);
      }
    }
  }
  return findings.some(failing) ? 1 : 0;
}

function listRules(ruleList: readonly Rule[], format: string, io: CommandIo): void {
  if (format === 'json') {
    io.stdout(JSON.stringify({ rules: ruleList.map(({ id, name, level, explanation }) => ({ id, name, level, explanation })) }, undefined, 2) + '\n');
  } else if (format === 'sarif') {
    io.stdout(JSON.stringify(toSarif([], ruleList, { version: version() }), undefined, 2) + '\n');
  } else {
    io.stdout(ruleList.map((r) => `${r.id}  ${r.level.padEnd(7)}  ${r.name}: ${r.explanation}`).join('\n') + '\n');
  }
}

/** `error NET010 Service shop/api (dist/app.yaml:12): message [service-selector-matches-no-pods]` */
export function formatFinding(f: CheckFinding, io?: CommandIo): string {
  const level = io ? io.color(f.level === 'error' ? 'red' : 'yellow', f.level) : f.level;
  return `${level} ${f.ruleId} ${f.resource}${f.source ? ` (${f.source})` : ''}: ${f.message} [${f.rule}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
