// The only module that reads process.env: validated once at start-up, failing fast.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  ALLOWED_ORIGINS: csv.pipe(z.array(z.url({ protocol: /^https?$/ }))),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMIT_MESSAGES: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(10_000),
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false", ""])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  NODE_ID: z.string().min(1).optional(),
  JOIN_CODE: z
    .string()
    .max(200)
    .optional()
    .transform((v) => v?.trim() || undefined),
  ADMIN_CODE: z
    .string()
    .trim()
    .min(8, "must be at least 8 characters")
    .max(200)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(0).default(10),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  REACTION_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  READ_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  READ_MARK_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  ROOM_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  TYPING_INTERVAL_MS: z.coerce.number().int().min(0).default(2000),
  DEVICE_LINK_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  UPLOAD_MB_RATE_LIMIT: z.coerce.number().int().min(1).default(200),
  PUSH_SUBSCRIPTION_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  PUSH_ENDPOINT_ALLOWLIST: csv.pipe(z.array(z.url({ protocol: /^https?$/ }))),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, "must be a base64url P-256 public key (65 bytes)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url P-256 private key (32 bytes)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "must be a mailto: or https: URL")
    .default("mailto:admin@localhost"),
  METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SOCKET_BUFFER_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  RECOVERY_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(8 * 1024 * 1024),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  sessionSecret: string;
  allowedOrigins: string[];
  logLevel: string;
  rateLimit: { messages: number; windowMs: number };
  trustProxy: boolean;
  nodeId: string;
  /** Unset: anyone who reaches the server may log in. */
  joinCode?: string;
  /** ADMIN_CODE, else generated once into DATA_DIR/admin-code. */
  adminCode: string;
  /** The admin code came from DATA_DIR/admin-code, not ADMIN_CODE: its claim link is logged. */
  adminCodeGenerated: boolean;
  /** Logins per minute per IP address; 0 turns the limit off. */
  loginRateLimit: number;
  /** Reactions and read marks per 10 s, history and search per second, room changes and device links per minute, per user. */
  budgets: {
    reactions: number;
    reads: number;
    readMarks: number;
    roomOps: number;
    deviceLinks: number;
    /** Uploads, and MiB uploaded, per user per minute. */
    uploads: number;
    uploadMegabytes: number;
    /** POST /api/push per user per minute. */
    pushSubscriptions: number;
  };
  /** Files: the largest upload, and how long an upload may wait to be sent. */
  uploads: { maxBytes: number; unsentTtlMs: number };
  /** Web Push: the VAPID key pair (env, else generated once into DATA_DIR/vapid.json). */
  vapid: VapidKeys & { subject: string };
  /** Push-service origins exempt from the https/public-address check (e.g. a test receiver). */
  pushEndpointAllowlist: string[];
  /** One "is typing" relay per user and conversation per this many ms. */
  typingIntervalMs: number;
  /** How long a device link code stays valid. */
  linkTtlMs: number;
  /** How long a guest's session (and its nickname) lasts after its last connection. */
  sessionTtlMs: number;
  /** How long a secured user's session lasts after its last connection (SESSION_TTL_DAYS). */
  securedSessionTtlMs: number;
  /** How long a disconnected client may come back and have missed packets replayed. */
  recoveryWindowMs: number;
  /** At most this many bytes of broadcasts kept for that replay (in-memory adapter); the oldest go first. */
  recoveryBufferBytes: number;
  presenceCoalesceMs: number;
  /** Bearer token for GET /metrics from elsewhere than loopback; unset: loopback only. */
  metricsToken?: string;
  /** A socket whose unsent output passes this many bytes (it stopped reading) is dropped. */
  socketBufferLimitBytes: number;
};

export class ConfigError extends Error {}

/** base64url: the public key uncompressed (65 bytes), the private key's scalar (32 bytes). */
export type VapidKeys = { publicKey: string; privateKey: string };
/** What `npm run backup` needs, without loadConfig's side effects (no secrets generated). */
export function loadBackupConfig(env: NodeJS.ProcessEnv = process.env): {
  dataDir: string;
  databaseUrl?: string;
  /** Where the command was typed (npm runs scripts in the package root): FILE is relative to it. */
  cwd: string;
} {
  const parsed = EnvSchema.pick({ DATA_DIR: true, DATABASE_URL: true }).safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid ${String(issue.path[0])}: ${issue.message}`);
  }
  return {
    dataDir: path.resolve(parsed.data.DATA_DIR),
    databaseUrl: parsed.data.DATABASE_URL,
    cwd: env.INIT_CWD ?? process.cwd(),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET ?? persisted(dataDir, "session-secret", 32),
    allowedOrigins: e.ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    logLevel: e.LOG_LEVEL,
    rateLimit: { messages: e.RATE_LIMIT_MESSAGES, windowMs: e.RATE_LIMIT_WINDOW_MS },
    trustProxy: e.TRUST_PROXY,
    nodeId: e.NODE_ID ?? crypto.randomBytes(6).toString("hex"),
    joinCode: e.JOIN_CODE,
    adminCode: e.ADMIN_CODE ?? persisted(dataDir, "admin-code", 18),
    adminCodeGenerated: e.ADMIN_CODE === undefined,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    budgets: {
      reactions: e.REACTION_RATE_LIMIT,
      reads: e.READ_RATE_LIMIT,
      readMarks: e.READ_MARK_RATE_LIMIT,
      roomOps: e.ROOM_RATE_LIMIT,
      deviceLinks: e.DEVICE_LINK_RATE_LIMIT,
      uploads: e.UPLOAD_RATE_LIMIT,
      uploadMegabytes: e.UPLOAD_MB_RATE_LIMIT,
      pushSubscriptions: e.PUSH_SUBSCRIPTION_RATE_LIMIT,
    },
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, unsentTtlMs: 24 * 60 * 60 * 1000 },
    vapid: {
      ...vapidKeys(dataDir, e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY),
      subject: e.VAPID_SUBJECT,
    },
    pushEndpointAllowlist: e.PUSH_ENDPOINT_ALLOWLIST.map((o) => new URL(o).origin),
    typingIntervalMs: e.TYPING_INTERVAL_MS,
    linkTtlMs: 10 * 60 * 1000,
    sessionTtlMs: 24 * 60 * 60 * 1000,
    securedSessionTtlMs: e.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000,
    recoveryWindowMs: 2 * 60 * 1000,
    recoveryBufferBytes: e.RECOVERY_BUFFER_BYTES,
    presenceCoalesceMs: 250,
    metricsToken: e.METRICS_TOKEN,
    socketBufferLimitBytes: e.SOCKET_BUFFER_LIMIT_BYTES,
  };
}

/** Generated on first start and kept (the session secret, the admin code). */
function persisted(dataDir: string, name: string, bytes: number): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(bytes).toString("base64url");
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  }
}

/** Both keys from env, or neither: then one pair generated on first start and kept. */
function vapidKeys(dataDir: string, publicKey?: string, privateKey?: string): VapidKeys {
  if (publicKey && privateKey) return { publicKey, privateKey };
  if (publicKey || privateKey) {
    throw new ConfigError("invalid VAPID_PUBLIC_KEY: set both VAPID keys or neither");
  }
  const file = path.join(dataDir, "vapid.json");
  try {
    const kept = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<VapidKeys>;
    if (typeof kept.publicKey === "string" && typeof kept.privateKey === "string") {
      return { publicKey: kept.publicKey, privateKey: kept.privateKey };
    }
  } catch {
    // absent: generated below
  }
  const { publicKey: pub, privateKey: priv } = crypto.generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
  });
  const jwk = priv.export({ format: "jwk" });
  const raw = pub.export({ format: "der", type: "spki" }).subarray(-65);
  const keys = { publicKey: raw.toString("base64url"), privateKey: String(jwk.d) };
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(keys) + "\n", { mode: 0o600, flag: "wx" });
  } catch {
    // Another process sharing DATA_DIR wrote its pair first: use that one.
    return JSON.parse(fs.readFileSync(file, "utf8")) as VapidKeys;
  }
  return keys;
}
