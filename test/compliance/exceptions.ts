import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

/**
 * The Kyverno PolicyExceptions documented in docs/compliance.md ("Documented exceptions"), read
 * from the doc itself, so the exception the tests apply is the one users are told to apply.
 */
export function documentedPolicyExceptions(): any[] {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'compliance.md'), 'utf8');
  return [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1])).filter((o) => o?.kind === 'PolicyException');
}
