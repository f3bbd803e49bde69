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
 *   API.md); stripping that base leaves the typings broken. Here a stripped declaration that the
 *   remaining typings name is put back (and reported), until the typings type-check.
 *
 * Run by the compile task after jsii: `ts-node --project tsconfig.dev.json projenrc/strip-internal.ts`.
 * Exits non-zero when the rewritten typings do not type-check.
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

function stripper(keep: ReadonlySet<string>, stripped: Set<string>): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
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
        if (!isImport && isInternal(s) && !(name && keep.has(name))) {
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

/** Emits the typings of the project with `keep` spared; returns them by output path. */
function emit(program: ts.Program, keep: ReadonlySet<string>, stripped: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => out.set(path.resolve(fileName), text), undefined, true,
    { afterDeclarations: [stripper(keep, stripped)] });
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
  host.getSourceFile = (f, lang, onError, create) => {
    const text = files.get(path.resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...files.keys()], checkOptions, host);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(path.resolve(d.file.fileName)));
}

/** The names a diagnostic says are missing (`Cannot find name 'X'`, `has no exported member 'X'`). */
function missingNames(diagnostics: readonly ts.Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of diagnostics) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const m = /(?:Cannot find name|has no exported member(?: named)?) '([^']+)'/.exec(text);
    if (m) out.push(m[1]);
  }
  return out;
}

function main(): void {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.formatDiagnostic(d, formatHost())); },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const options: ts.CompilerOptions = {
    ...parsed.options,
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
  const program = ts.createProgram(parsed.fileNames, options);
  const keep = new Set<string>();
  for (;;) {
    const stripped = new Set<string>();
    const files = emit(program, keep, stripped);
    const diagnostics = check(files, parsed.options);
    const missing = missingNames(diagnostics).filter((n) => stripped.has(n) && !keep.has(n));
    if (missing.length > 0) {
      missing.forEach((n) => keep.add(n));
      continue;
    }
    if (diagnostics.length > 0) {
      process.stderr.write(ts.formatDiagnostics(diagnostics, formatHost()));
      process.exit(1);
    }
    for (const [file, text] of files) fs.writeFileSync(file, text);
    const spared = keep.size > 0 ? `; kept because remaining typings name them (hidden bases, internal modules): ${[...keep].sort().join(', ')}` : '';
    process.stdout.write(`strip-internal: ${files.size} typings rewritten, ${stripped.size} @internal declarations removed${spared}\n`);
    return;
  }
}

main();
