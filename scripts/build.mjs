// Bundles the server to dist/ and the browser code to public/js/ with esbuild.
// Type checking is `npm run typecheck`; this only transpiles.
import { build } from "esbuild";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

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
    }).then(buildServiceWorker),
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

/**
 * public/sw.js: precaches the app's static files under a cache named after a hash of them
 * all (and of the worker itself), so every release that changes a byte replaces the cache.
 */
async function buildServiceWorker() {
  const files = [
    "public/js/chat.js",
    "public/manifest.webmanifest",
    "public/favicon.svg",
    ...["css", "icons", "avatars"].flatMap((dir) =>
      fs
        .readdirSync(`public/${dir}`)
        .sort()
        .map((f) => `public/${dir}/${f}`),
    ),
  ].filter((f) => fs.existsSync(f));
  const hash = crypto.createHash("sha256");
  for (const f of [...files, "public/sw/sw.ts"]) hash.update(f).update(fs.readFileSync(f));
  const version = hash.digest("hex").slice(0, 12);
  const precache = files.map((f) => "/" + path.relative("public", f).split(path.sep).join("/"));
  await build({
    entryPoints: ["public/sw/sw.ts"],
    outfile: "public/sw.js",
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2022"],
    platform: "browser",
    logLevel: "warning",
    define: {
      __SW_VERSION__: JSON.stringify(version),
      __PRECACHE__: JSON.stringify(precache),
    },
  });
}
console.log(`built in ${Date.now() - started} ms`);
