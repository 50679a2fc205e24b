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

  it.each([
    [{ PORT: "x" }, /invalid PORT/],
    [{ PORT: "70000" }, /invalid PORT/],
    [{ DATABASE_URL: "mysql://x" }, /invalid DATABASE_URL/],
    [{ ALLOWED_ORIGINS: "not a url" }, /invalid ALLOWED_ORIGINS/],
    [{ LOG_LEVEL: "loud" }, /invalid LOG_LEVEL/],
    [{ SESSION_SECRET: "short" }, /invalid SESSION_SECRET/],
    [{ RATE_LIMIT_MESSAGES: "0" }, /invalid RATE_LIMIT_MESSAGES/],
  ])("refuses %j with a one-line reason", (env, reason) => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(reason);
  });
});
