// Real backing services for cluster and store tests: redis-server, PostgreSQL and nginx from apt,
// each on 127.0.0.1 with a random free port and a temp dir, stopped by pid.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Client } from "pg";
import { postgresBin } from "./system";
import { tempDir } from "./server";

export type Service = {
  port: number;
  pid: number;
  dir: string;
  logs: () => string;
  /** SIGKILL (or `signal`) and wait for exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the service and removes its temp dir. */
  dispose(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type SpawnOptions = { cwd?: string; uid?: number; gid?: number; readyTimeoutMs?: number };

/** Spawns a daemon in the foreground and resolves once a line matches `ready`. */
export async function spawnService(
  command: string,
  args: string[],
  ready: RegExp,
  port: number,
  dir: string,
  options: SpawnOptions = {},
): Promise<Service> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? dir,
    uid: options.uid,
    gid: options.gid,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    const timer = setTimeout(
      () => reject(new Error(`${command} not ready:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", reject);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command} exited:\n${output}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = "SIGKILL") => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
    await exited;
  };
  return {
    port,
    pid: child.pid!,
    dir,
    logs: () => output,
    stop,
    dispose: () => stop().then(() => fs.rmSync(dir, { recursive: true, force: true })),
  };
}

export type RedisService = Service & { url: string };

/** redis-server without persistence: a restart loses everything, like a fresh instance. */
export async function startRedis(
  port?: number,
  dir = tempDir("chat-redis-"),
): Promise<RedisService> {
  const p = port ?? (await freePort());
  const args = ["--port", String(p), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  const service = await spawnService(
    "redis-server",
    [...args, "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"],
    /Ready to accept connections/,
    p,
    dir,
  );
  return { ...service, url: `redis://127.0.0.1:${p}` };
}

export type PostgresService = Service & {
  /** Starts it again on the same port and data after `stop()`. */
  start(): Promise<void>;
  /** A new, empty database (with the cluster's UTF-8 locale, or `ctype`); returns its URL. */
  createDatabase(name?: string, ctype?: string): Promise<string>;
};

let databases = 0;

/**
 * initdb and postgres on a temp dir. PostgreSQL refuses to run as root, so as root both run as
 * the `postgres` user (created by the apt package), owning the dir.
 */
export async function startPostgres(): Promise<PostgresService> {
  const dir = tempDir("chat-pg-");
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, "data");
  const bin = (name: string) => {
    const found = postgresBin(name);
    if (!found) throw new Error(`PostgreSQL ${name} not found (apt-get install postgresql)`);
    return found;
  };
  // A UTF-8 locale whatever the environment says: lower() (and so search) folds every script.
  const initdb = ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"];
  execFileSync(bin("initdb"), initdb, {
    cwd: dir,
    uid: owner?.uid,
    gid: owner?.gid,
    stdio: "pipe",
  });
  const port = await freePort();
  const args = ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir];
  // Tests only: no fsync, PostgreSQL itself is never killed here.
  const tuning = ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"];
  const launch = () =>
    spawnService(
      bin("postgres"),
      [...args, ...tuning],
      /database system is ready to accept connections/,
      port,
      dir,
      { uid: owner?.uid, gid: owner?.gid },
    );
  let service = await launch();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // SIGINT is PostgreSQL's fast shutdown.
  const stop = (signal: NodeJS.Signals = "SIGINT") => service.stop(signal);
  return {
    ...service,
    stop,
    dispose: () => stop().then(() => fs.rmSync(dir, { recursive: true, force: true })),
    async start() {
      service = await launch();
    },
    async createDatabase(name = `chat_${process.pid}_${++databases}`, ctype?: string) {
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        const locale = ctype ? ` LC_CTYPE '${ctype}' LC_COLLATE '${ctype}'` : "";
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0${locale}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = ["-u", "-g"].map((flag) =>
    Number(execFileSync("id", [flag, "postgres"]).toString().trim()),
  );
  return { uid, gid };
}

const NGINX_CONF = path.resolve(__dirname, "../../docs/deploy/nginx.conf");

/**
 * nginx in front of `upstreams` (ports on 127.0.0.1), running docs/deploy/nginx.conf itself
 * with its node addresses and listen port replaced.
 */
export async function startNginx(upstreams: number[]): Promise<Service & { url: string }> {
  const dir = tempDir("chat-nginx-");
  const port = await freePort();
  let first = true;
  const site = fs
    .readFileSync(NGINX_CONF, "utf8")
    .replace(/^(\s*)server\s+[\w.-]+:\d+;\n/gm, (_line, indent: string) => {
      if (!first) return "";
      first = false;
      return upstreams.map((p) => `${indent}server 127.0.0.1:${p};\n`).join("");
    })
    .replace(/listen\s+\d+;/, `listen 127.0.0.1:${port};`);
  const temp = ["client_body", "proxy", ...optionalTempModules()]
    .map((m) => `  ${m}_temp_path ${path.join(dir, m)};`)
    .join("\n");
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr notice;
events { worker_connections 1024; }
http {
  access_log off;
${temp}
${site}
}
`;
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  const service = await spawnService(
    "nginx",
    ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"],
    /start worker process/,
    port,
    dir,
  );
  // SIGTERM: the master stops its workers too.
  const stop = () => service.stop("SIGTERM");
  return {
    ...service,
    url: `http://127.0.0.1:${port}`,
    stop,
    dispose: () => stop().then(() => fs.rmSync(dir, { recursive: true, force: true })),
  };
}

/** Temp paths of the modules this nginx build has (nginx-light leaves some out). */
function optionalTempModules(): string[] {
  const { stdout, stderr } = spawnSync("nginx", ["-V"], { encoding: "utf8" });
  const info = stdout + stderr;
  return ["fastcgi", "uwsgi", "scgi"].filter((m) => !info.includes(`--without-http_${m}_module`));
}
