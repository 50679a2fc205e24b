// System packages the tests need. Missing ones are installed with apt-get when running as
// root; otherwise the run fails naming the exact command. Never a skip.
import { execFileSync, execSync } from "node:child_process";
import fs from "node:fs";

export type SystemPackage = { binary: string; apt: string };

export const CHROMIUM: SystemPackage = { binary: "/usr/bin/chromium", apt: "chromium" };
export const REDIS: SystemPackage = { binary: "/usr/bin/redis-server", apt: "redis-server" };
export const NGINX: SystemPackage = { binary: "/usr/sbin/nginx", apt: "nginx-light" };
export const POSTGRES: SystemPackage = {
  binary: postgresBin("initdb") ?? "/usr/lib/postgresql/initdb",
  apt: "postgresql",
};

/** The newest installed PostgreSQL's server binary, e.g. /usr/lib/postgresql/15/bin/initdb. */
export function postgresBin(name: string): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = `${root}/${v}/bin/${name}`;
    if (fs.existsSync(bin)) return bin;
  }
  return undefined;
}

function installed(p: SystemPackage): boolean {
  if (p.apt === "postgresql") return postgresBin("initdb") !== undefined;
  return fs.existsSync(p.binary);
}

export function ensureSystemPackages(packages: SystemPackage[]): void {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.apt).join(" ");
  const command = `apt-get update && apt-get install -y ${names}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages; run as root: ${command}`);
  }
  process.stderr.write(`installing system packages: ${names}\n`);
  execSync("apt-get update -q", { stdio: "inherit" });
  execFileSync(
    "apt-get",
    ["install", "-y", "-q", "--no-install-recommends", ...missing.map((p) => p.apt)],
    {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    },
  );
  const still = missing.filter((p) => !installed(p));
  if (still.length)
    throw new Error(`apt-get did not provide: ${still.map((p) => p.apt).join(" ")}`);
}
