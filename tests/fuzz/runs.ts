// How many generated cases a property runs: a bounded number in `npm test`, thousands with
// `npm run fuzz` (FUZZ_RUNS). FUZZ_SEED replays a failure; fast-check prints the seed and
// the counterexample's path in the failure message either way.
import type { Parameters } from "fast-check";

export function fuzzRuns(inTests: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : inTests;
}

export function fuzzParams<T>(inTests: number): Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return {
    numRuns: fuzzRuns(inTests),
    seed,
    path: process.env.FUZZ_PATH,
    // Shrinking against a live server can take minutes; FUZZ_SHRINK=1 asks for it.
    endOnFailure: process.env.FUZZ_SHRINK !== "1",
    interruptAfterTimeLimit: process.env.FUZZ_RUNS ? undefined : 20_000,
    markInterruptAsFailure: false,
  };
}

/** A jest timeout that grows with the number of runs asked for. */
export function fuzzTimeout(inTests: number, msPerRun: number): number {
  return 30_000 + fuzzRuns(inTests) * msPerRun;
}

/** Budgets high enough that the fuzzer never trips them (they have their own tests). */
export const FUZZ_ENV: Record<string, string> = {
  ADMIN_CODE: "fuzz-admin-code",
  RATE_LIMIT_MESSAGES: "1000000",
  REACTION_RATE_LIMIT: "1000000",
  READ_RATE_LIMIT: "1000000",
  READ_MARK_RATE_LIMIT: "1000000",
  ROOM_RATE_LIMIT: "1000000",
  DEVICE_LINK_RATE_LIMIT: "1000000",
  UPLOAD_RATE_LIMIT: "1000000",
};
