import fs from "node:fs";
import path from "node:path";
import { CHROMIUM, NGINX, POSTGRES, REDIS, ensureSystemPackages } from "./system";

/** Runs once before all suites: system packages, and the built server and browser bundle. */
export default async function globalSetup(): Promise<void> {
  ensureSystemPackages([CHROMIUM, REDIS, POSTGRES, NGINX]);
  const root = path.resolve(__dirname, "../..");
  if (!fs.existsSync(path.join(root, "dist/server/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
  }
}
