/**
 * Findings of `cdk8s-net check` as SARIF 2.1.0, the format code-scanning services read
 * (GitHub `github/codeql-action/upload-sarif`, GitLab, Azure DevOps).
 *
 * Each rule becomes a `reportingDescriptor` (id, name, explanation as help text, default
 * level); each finding a `result` with its rule id and index, level, message (which says
 * what to do), the file and the line its object's document starts on, and the object
 * (`Kind namespace/name`) as a logical location.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CheckFinding } from './check';
import { Rule } from './rules';

const RULES_DOC = 'https://github.com/cdk8s-secure-networking/cdk8s-secure-networking/blob/main/docs/rules.md';

/** Options of `toSarif`. */
export interface SarifOptions {
  /** The tool version. */
  readonly version: string;
  /** File paths are written relative to it (as code scanning expects); default: as given. */
  readonly workingDirectory?: string;
}

/** `file:line` -> file and line; `undefined` for standard input and sources without a line. */
export function splitSource(source: string | undefined): { file: string; line: number } | undefined {
  const m = source === undefined ? null : /^(.*):(\d+)$/.exec(source);
  if (!m || m[1] === '<stdin>' || m[1] === '') {
    return undefined;
  }
  return { file: m[1], line: Number(m[2]) };
}

/** A SARIF `uri`: a relative path with `/` when the file is under the working directory, else a file URL. */
function uri(file: string, workingDirectory?: string): string {
  if (workingDirectory === undefined && !path.isAbsolute(file)) {
    return encodeURI(file.split(path.sep).join('/'));
  }
  const absolute = path.resolve(workingDirectory ?? '', file);
  const relative = workingDirectory === undefined ? undefined : path.relative(workingDirectory, absolute);
  if (relative !== undefined && relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return encodeURI(relative.split(path.sep).join('/'));
  }
  return pathToFileURL(absolute).href;
}

/** The SARIF log of one run. */
export function toSarif(findings: readonly CheckFinding[], rules: readonly Rule[], options: SarifOptions): any {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-net',
          semanticVersion: options.version,
          informationUri: 'https://github.com/cdk8s-secure-networking/cdk8s-secure-networking',
          rules: rules.map((r) => ({
            id: r.id,
            name: r.name,
            shortDescription: { text: `${r.name} (${r.id})` },
            fullDescription: { text: r.explanation },
            help: { text: r.explanation, markdown: `**${r.id} ${r.name}**: ${r.explanation}\n\nSee [the rules](${RULES_DOC}).` },
            helpUri: RULES_DOC,
            defaultConfiguration: { level: r.level },
            properties: { tags: r.pss ? ['security', 'pod-security-standards'] : ['kubernetes'] },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results: findings.map((f) => {
        const at = splitSource(f.source);
        const logical = [{ name: f.resource, kind: 'object', ...(f.field ? { fullyQualifiedName: `${f.resource}.${f.field}` } : {}) }];
        return {
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: f.level,
          message: { text: `${f.resource}: ${f.message}` },
          locations: [at
            ? {
              physicalLocation: { artifactLocation: { uri: uri(at.file, options.workingDirectory) }, region: { startLine: at.line } },
              logicalLocations: logical,
            }
            : { logicalLocations: logical }],
        };
      }),
    }],
  };
}
