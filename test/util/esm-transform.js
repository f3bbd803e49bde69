// Jest transformer for the ES-module-only packages used by the schema helper
// (kubernetes-models v5 and its dependencies). Jest runs our tests as CommonJS, so these
// files are transpiled to CommonJS with the TypeScript compiler we already depend on.
const ts = require('typescript');

module.exports = {
  process(src, filename) {
    const out = ts.transpileModule(src, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
      },
    });
    return { code: out.outputText };
  },
};
