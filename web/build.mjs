// Builds the web client into internal/webapp/dist, which the Go binary
// embeds. The output is deterministic (same sources, same bytes), so CI
// rebuilds it and fails when the committed copy is stale. It also records
// the gzipped size of the JavaScript a first visit loads, and fails above
// the budget of issue 5 (150 KB gzipped).
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'internal', 'webapp', 'dist');
const budget = 150 * 1024;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.tsx', style: 'src/app.css' },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});

// First load: everything index.html asks for.
const files = ['app.js', 'style.css'];
const sizes = {};
let firstLoadJS = 0;
for (const f of files) {
  const b = readFileSync(join(out, f));
  const gz = gzipSync(b, { level: 9 }).length;
  sizes[f] = { bytes: b.length, gzip: gz };
  if (f.endsWith('.js')) firstLoadJS += gz;
}
const report = { first_load_js_gzip: firstLoadJS, budget_gzip: budget, files: sizes };
writeFileSync(join(out, 'build.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`web: first-load JavaScript ${(firstLoadJS / 1024).toFixed(1)} KB gzipped (budget ${budget / 1024} KB)`);
if (firstLoadJS > budget) {
  console.error('web: over the JavaScript budget');
  process.exit(1);
}
