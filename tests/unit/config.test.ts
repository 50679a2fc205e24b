import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../../server/config/config";
import { tempDir } from "../support/server";

describe("config", () => {
  it("has the contract's defaults and keeps a generated secret in DATA_DIR", () => {
    const dir = tempDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      dataDir: dir,
      allowedOrigins: [],
      logLevel: "info",
    });
    expect(c.rateLimit).toEqual({ messages: 20, windowMs: 10_000 });
    expect(c.recoveryBufferBytes).toBe(8 * 1024 * 1024);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(c.sessionSecret);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(c.sessionSecret);
  });

  it("parses every variable", () => {
    const c = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://u:p@localhost/chat",
      REDIS_URL: "redis://localhost:6379",
      SESSION_SECRET: "s".repeat(32),
      ALLOWED_ORIGINS: "https://a.example, http://b.example:8080/",
      LOG_LEVEL: "warn",
      RATE_LIMIT_MESSAGES: "100",
      RATE_LIMIT_WINDOW_MS: "1000",
    });
    expect(c.port).toBe(8080);
    expect(c.allowedOrigins).toEqual(["https://a.example", "http://b.example:8080"]);
    expect(c.sessionSecret).toBe("s".repeat(32));
    expect(c.rateLimit).toEqual({ messages: 100, windowMs: 1000 });
  });

  it("reads the identity variables: JOIN_CODE, ADMIN_CODE (else generated), LOGIN_RATE_LIMIT", () => {
    const dir = tempDir();
    const generated = loadConfig({ DATA_DIR: dir });
    expect(generated.joinCode).toBeUndefined();
    expect(generated.loginRateLimit).toBe(10);
    expect(generated.adminCodeGenerated).toBe(true);
    expect(fs.readFileSync(path.join(dir, "admin-code"), "utf8").trim()).toBe(generated.adminCode);
    expect(loadConfig({ DATA_DIR: dir }).adminCode).toBe(generated.adminCode);
    const set = loadConfig({
      DATA_DIR: tempDir(),
      JOIN_CODE: " friends ",
      ADMIN_CODE: "admin-secret",
      LOGIN_RATE_LIMIT: "0",
    });
    expect(set).toMatchObject({
      joinCode: "friends",
      adminCode: "admin-secret",
      adminCodeGenerated: false,
      loginRateLimit: 0,
    });
    expect(loadConfig({ DATA_DIR: tempDir(), JOIN_CODE: "  " }).joinCode).toBeUndefined();
  });

  it.each([
    [{ PORT: "x" }, /invalid PORT/],
    [{ PORT: "70000" }, /invalid PORT/],
    [{ DATABASE_URL: "mysql://x" }, /invalid DATABASE_URL/],
    [{ ALLOWED_ORIGINS: "not a url" }, /invalid ALLOWED_ORIGINS/],
    [{ LOG_LEVEL: "loud" }, /invalid LOG_LEVEL/],
    [{ SESSION_SECRET: "short" }, /invalid SESSION_SECRET/],
    [{ RATE_LIMIT_MESSAGES: "0" }, /invalid RATE_LIMIT_MESSAGES/],
    [{ LOGIN_RATE_LIMIT: "-1" }, /invalid LOGIN_RATE_LIMIT/],
    [{ ADMIN_CODE: "short" }, /invalid ADMIN_CODE/],
    [{ RECOVERY_BUFFER_BYTES: "-1" }, /invalid RECOVERY_BUFFER_BYTES/],
    [{ RECOVERY_BUFFER_BYTES: "8MB" }, /invalid RECOVERY_BUFFER_BYTES/],
  ])("refuses %j with a one-line reason", (env, reason) => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(reason);
  });

  it("generates the VAPID pair once into DATA_DIR, or takes both keys from env", () => {
    const dir = tempDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(Buffer.from(c.vapid.publicKey, "base64url")).toHaveLength(65);
    expect(Buffer.from(c.vapid.privateKey, "base64url")).toHaveLength(32);
    expect(loadConfig({ DATA_DIR: dir }).vapid).toEqual(c.vapid);
    const env = {
      DATA_DIR: tempDir(),
      VAPID_PUBLIC_KEY: c.vapid.publicKey,
      VAPID_PRIVATE_KEY: c.vapid.privateKey,
      PUSH_ENDPOINT_ALLOWLIST: "http://127.0.0.1:9999/, https://push.example",
    };
    const fromEnv = loadConfig(env);
    expect(fromEnv.vapid).toMatchObject({ publicKey: c.vapid.publicKey });
    expect(fromEnv.pushEndpointAllowlist).toEqual([
      "http://127.0.0.1:9999",
      "https://push.example",
    ]);
    expect(fromEnv.budgets.pushSubscriptions).toBe(10);
    expect(() => loadConfig({ ...env, VAPID_PRIVATE_KEY: "" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, VAPID_PUBLIC_KEY: "short" })).toThrow(ConfigError);
  });
});
