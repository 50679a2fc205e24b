// The lockfile pins every copy of the Socket.IO stack's parsers at or past the releases that
// fixed their known denial-of-service advisories (npm audit cannot run offline; this can).
import fs from "node:fs";
import path from "node:path";

const PATCHED: Record<string, { min: string; advisory: string }> = {
  "socket.io-parser": { min: "4.2.3", advisory: "CVE-2023-32695" },
  "engine.io": { min: "6.4.2", advisory: "CVE-2023-31125" },
  ws: { min: "8.17.1", advisory: "CVE-2024-37890" },
};

const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
};

it("has only patched socket.io-parser, engine.io and ws", () => {
  const lock = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, "../../package-lock.json"), "utf8"),
  ) as { packages: Record<string, { version?: string }> };
  const found: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    const name = where.split("node_modules/").pop()!;
    const rule = PATCHED[name];
    if (!rule || !entry.version) continue;
    found.push(name);
    expect(
      `${where}@${entry.version} ${newer(entry.version, rule.min) ? "ok" : rule.advisory}`,
    ).toBe(`${where}@${entry.version} ok`);
  }
  expect(new Set(found)).toEqual(new Set(Object.keys(PATCHED)));
});
