// Bundles the server to dist/ and the browser code to public/js/ with esbuild.
// Type checking is `npm run typecheck`; this only transpiles.
import { build } from "esbuild";
import fs from "node:fs";

const clientOnly = process.argv.includes("--client-only");
const started = Date.now();

const clientEntries = ["public/src/login.ts", "public/src/chat.ts"].filter((f) => fs.existsSync(f));
const jobs = [
  clientEntries.length &&
    build({
      entryPoints: clientEntries,
      outdir: "public/js",
      bundle: true,
      minify: true,
      sourcemap: true,
      format: "esm",
      target: ["es2022"],
      platform: "browser",
      logLevel: "warning",
    }),
];
if (!clientOnly) {
  jobs.push(
    build({
      entryPoints: { index: "server/index.ts", backup: "server/ops/backup.ts" },
      outdir: "dist/server",
      bundle: true,
      platform: "node",
      target: ["node20"],
      format: "cjs",
      packages: "external",
      sourcemap: true,
      logLevel: "warning",
    }),
  );
}
await Promise.all(jobs.filter(Boolean));
console.log(`built in ${Date.now() - started} ms`);
