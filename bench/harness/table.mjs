// The summary table: one block per scenario, ours and the references it ran against, then
// our ratio to each (the first reference is the matching one: its tuned bare equivalent).
import { round } from "../lib.mjs";

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (typeof v !== "number") return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return String(round(v, 2));
}

function pickSafe(pick, r) {
  if (!r) return null;
  if (r.error) return "error";
  if (r.skipped) return null;
  try {
    return pick(r) ?? null;
  } catch {
    return null;
  }
}

/** `runs`: [{ scenario (module), servers: [names], results: { [server]: result } }]. */
export function summaryTable(runs) {
  const blocks = [];
  for (const { scenario, servers, results } of runs) {
    const refs = servers.includes("ours") ? servers.filter((s) => s !== "ours") : [];
    const header = [scenario.name, ...servers, ...refs.map((s) => `ours/${s}`)];
    const rows = [];
    const skipped = results.ours?.skipped;
    if (skipped)
      rows.push([`skipped: ${skipped.replace(/^skipped: /, "")}`, ...servers.map(() => "")]);
    for (const [label, pick] of scenario.figures) {
      const vals = servers.map((s) => pickSafe(pick, results[s]));
      const ours = vals[servers.indexOf("ours")];
      const ratios = refs.map((s) => {
        if (label.startsWith("other processes")) return "";
        const v = vals[servers.indexOf(s)];
        if (typeof ours !== "number" || typeof v !== "number" || v === 0) return "—";
        return (ours / v).toFixed(2);
      });
      rows.push([label, ...vals.map(fmt), ...ratios]);
    }
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)),
    );
    const line = (cells) =>
      cells
        .map((c, i) =>
          i === 0 ? String(c).padEnd(widths[i]) : String(c ?? "").padStart(widths[i]),
        )
        .join("  ");
    blocks.push(
      [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"),
    );
  }
  return blocks.join("\n\n");
}
