/**
 * Rewrites the typings in lib/ (after `jsii` compiled src/) without the `@internal` declarations,
 * so that TypeScript users see the API that API.md shows: the same thing TypeScript's
 * `stripInternal` does, which jsii 6 refuses in a validated tsconfig (its strict rule set requires
 * `stripInternal: false`, and `jsii.tsc` in package.json has no such option).
 *
 * Why not plain `tsc --stripInternal`:
 * - it matches the text `@internal` anywhere in a comment (Traefik's generated CRD docs say
 *   "default@internal"), while jsii reads the JSDoc tag; here only a real `@internal` tag counts;
 * - jsii lets an exported type extend an `@internal` one (a hidden base, flattened into it in
 *   API.md), and `tsc` strips that base all the same, leaving typings that do not compile.
 *
 * The build fails (exit 1, nothing written) when:
 * - a typing that stays names a stripped declaration (a public type extends or uses an
 *   `@internal` one): make that declaration public and document it, or stop naming it;
 * - an `@internal` tag is left in the rewritten typings (a comment the stripper could not remove
 *   with its declaration);
 * - the rewritten typings do not type-check.
 *
 * It also deletes the outputs in lib/ of sources that are gone (a renamed or removed file), which
 * jsii leaves behind and `npm pack` would publish.
 *
 * Run by the compile task after jsii: `ts-node --project tsconfig.dev.json projenrc/strip-internal.ts`.
 * Tested by test/build/strip-internal.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

function isInternal(node: ts.Node): boolean {
  const original = ts.getOriginalNode(node);
  return ts.getJSDocTags(original).some((t) => t.tagName.text === 'internal');
}

function nameOf(node: ts.Node): string | undefined {
  const n = (node as { name?: ts.Node }).name;
  if (n && ts.isIdentifier(n)) return n.text;
  if (ts.isVariableStatement(node)) {
    const d = node.declarationList.declarations[0];
    return d && ts.isIdentifier(d.name) ? d.name.text : undefined;
  }
  return undefined;
}

function isMember(node: ts.Node): boolean {
  return ts.isClassElement(node) || ts.isTypeElement(node);
}

/** Identifiers used in `nodes` (for dropping imports that only stripped declarations used). */
function usedNames(nodes: readonly ts.Node[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return out;
}

function stripper(stripped: Set<string>): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
  return (context) => {
    const visitMembers = (node: ts.Node): ts.Node | undefined => {
      if (isMember(node) && isInternal(node)) return undefined;
      return ts.visitEachChild(node, visitMembers, context);
    };
    const file = (sf: ts.SourceFile): ts.SourceFile => {
      const kept: ts.Statement[] = [];
      for (const s of sf.statements) {
        const isImport = ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s);
        const name = nameOf(s);
        if (!isImport && isInternal(s)) {
          if (name) stripped.add(name);
          continue;
        }
        kept.push(ts.visitEachChild(s, visitMembers, context) as ts.Statement);
      }
      const others = kept.filter((s) => !ts.isImportDeclaration(s));
      const used = usedNames(others);
      const statements = kept.flatMap((s): ts.Statement[] => {
        if (!ts.isImportDeclaration(s) || !s.importClause) return [s];
        const clause = s.importClause;
        const bindings = clause.namedBindings;
        const defaultName = clause.name && used.has(clause.name.text) ? clause.name : undefined;
        let named: ts.NamedImportBindings | undefined;
        if (bindings && ts.isNamespaceImport(bindings)) {
          named = used.has(bindings.name.text) ? bindings : undefined;
        } else if (bindings) {
          const elements = bindings.elements.filter((e) => used.has(e.name.text));
          named = elements.length > 0 ? context.factory.updateNamedImports(bindings, elements) : undefined;
        }
        if (!defaultName && !named) return [];
        return [context.factory.updateImportDeclaration(s, s.modifiers,
          context.factory.updateImportClause(clause, clause.phaseModifier, defaultName, named), s.moduleSpecifier, s.attributes)];
      });
      // A file whose every declaration was stripped must stay a module (`export {}`).
      const isModule = statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s)
        || (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)));
      if (!isModule) {
        statements.push(context.factory.createExportDeclaration(undefined, false, context.factory.createNamedExports([]), undefined));
      }
      return context.factory.updateSourceFile(sf, statements);
    };
    return (node) => (ts.isSourceFile(node) ? file(node) : node);
  };
}

/** Emits the typings of the program without `@internal` declarations; returns them by output path. */
function emit(program: ts.Program, stripped: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => out.set(path.resolve(fileName), text), undefined, true,
    { afterDeclarations: [stripper(stripped)] });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost()));
  return out;
}

function formatHost(): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
}

/** Type-checks the emitted typings (in memory) and returns the diagnostics in them. */
function check(files: Map<string, string>, options: ts.CompilerOptions): ts.Diagnostic[] {
  const checkOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    skipLibCheck: false,
    declaration: false,
    emitDeclarationOnly: false,
    incremental: false,
    composite: false,
    tsBuildInfoFile: undefined,
    rootDir: undefined,
  };
  const host = ts.createCompilerHost(checkOptions);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(path.resolve(f)) ?? readFile(f);
  host.fileExists = (f) => files.has(path.resolve(f)) || fileExists(f);
  // Module resolution asks for the folder first; an emitted folder may not exist on disk yet.
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => {
    const dir = path.resolve(d) + path.sep;
    return [...files.keys()].some((f) => f.startsWith(dir)) || (directoryExists ? directoryExists(d) : ts.sys.directoryExists(d));
  };
  host.getSourceFile = (f, lang, onError, create) => {
    const text = files.get(path.resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...files.keys()], checkOptions, host);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(path.resolve(d.file.fileName)));
}

/** The name a diagnostic says is missing (`Cannot find name 'X'`, `has no exported member 'X'`). */
function missingName(d: ts.Diagnostic): string | undefined {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  return /(?:Cannot find name|has no exported member(?: named)?) '([^']+)'/.exec(text)?.[1];
}

/** Where a comment in `text` carries a JSDoc `@internal` tag (not text such as "default@internal"), by line. */
export function internalTags(text: string): number[] {
  const lines: number[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const sf = ts.createSourceFile('tags.d.ts', text, ts.ScriptTarget.Latest);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.MultiLineCommentTrivia && kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const comment = scanner.getTokenText();
    const re = /(^|[\s*{])@internal\b/g;
    for (let m = re.exec(comment); m; m = re.exec(comment)) {
      const at = scanner.getTokenStart() + m.index + m[1].length;
      lines.push(sf.getLineAndCharacterOfPosition(at).line + 1);
    }
  }
  return lines;
}

/** The typings of a program without its `@internal` declarations, or the problems that forbid them. */
export interface StripResult {
  /** Rewritten typings by output path (empty when there are problems). */
  readonly files: Map<string, string>;
  /** Names of the declarations removed. */
  readonly stripped: string[];
  /** What forbids publishing the typings, one line each (`file:line: ...`). */
  readonly problems: string[];
}

/** Emits the typings of `fileNames` without their `@internal` declarations and checks them. */
export function stripInternal(fileNames: readonly string[], compilerOptions: ts.CompilerOptions): StripResult {
  const options: ts.CompilerOptions = {
    ...compilerOptions,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    stripInternal: false,
    sourceMap: false,
    inlineSourceMap: false,
    inlineSources: false,
    declarationMap: false,
    incremental: false,
  };
  const program = ts.createProgram(fileNames, options);
  const stripped = new Set<string>();
  const files = emit(program, stripped);
  const problems: string[] = [];
  const where = (d: ts.Diagnostic): string => {
    if (!d.file || d.start === undefined) return '';
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(process.cwd(), d.file.fileName)}:${line + 1}: `;
  };
  const diagnostics = check(files, compilerOptions);
  const other: ts.Diagnostic[] = [];
  for (const d of diagnostics) {
    const name = missingName(d);
    if (name && stripped.has(name)) {
      problems.push(`${where(d)}names ${name}, which is @internal and so not in the published typings; ` +
        `make ${name} public (remove @internal and document it) or stop naming it here.`);
    } else {
      other.push(d);
    }
  }
  for (const [file, text] of files) {
    for (const line of internalTags(text)) {
      problems.push(`${path.relative(process.cwd(), file)}:${line}: an @internal tag is left in the published typings; ` +
        'put the tag on the declaration it hides (a tag elsewhere hides nothing).');
    }
  }
  if (problems.length === 0 && other.length > 0) problems.push(ts.formatDiagnostics(other, formatHost()).trimEnd());
  return { files: problems.length === 0 ? files : new Map(), stripped: [...stripped].sort(), problems };
}

/**
 * Outputs in `outDir` (typings, JavaScript, source maps) whose source in `rootDir` is gone: left
 * by a file that was renamed or removed. jsii never deletes them, and `npm pack` would publish
 * them (a stale typing may carry `@internal` declarations, or an API that no longer exists).
 */
export function staleOutputs(rootDir: string, outDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(file);
        continue;
      }
      const ext = ['.d.ts', '.js.map', '.js'].find((x) => e.name.endsWith(x));
      if (!ext) continue;
      const source = path.join(rootDir, path.relative(outDir, file.slice(0, -ext.length)) + '.ts');
      if (!fs.existsSync(source)) out.push(file);
    }
  };
  walk(outDir);
  return out.sort();
}

function main(): void {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.formatDiagnostic(d, formatHost())); },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const result = stripInternal(parsed.fileNames, parsed.options);
  if (result.problems.length > 0) {
    process.stderr.write(`strip-internal: the typings in lib/ cannot be published:\n${result.problems.join('\n')}\n`);
    process.exit(1);
  }
  for (const [file, text] of result.files) fs.writeFileSync(file, text);
  const stale = parsed.options.rootDir && parsed.options.outDir ? staleOutputs(parsed.options.rootDir, parsed.options.outDir) : [];
  stale.forEach((f) => fs.rmSync(f));
  const removed = stale.length > 0 ? `; removed ${stale.length} outputs of sources that are gone: ${stale.map((f) => path.relative(ROOT, f)).join(', ')}` : '';
  process.stdout.write(`strip-internal: ${result.files.size} typings rewritten, ${result.stripped.length} @internal declarations removed, no @internal tag left${removed}\n`);
}

if (require.main === module) main();
