// Model-based test: random sequences of logins, device links, connects and disconnects,
// messages (with and without cid, resends included), edits, deletes, reactions, rooms,
// reads, logouts and kicks over 4 users, on the real server with SQLite. After every step
// the server must agree with the model (chat-model.ts): deliveries, history, unread
// counts and presence.
import fc from "fast-check";
import { fuzzParams, fuzzRuns } from "../fuzz/runs";
import { ChatModel } from "./chat-model";
import { commands, opening } from "./commands";
import { RealChat } from "./real-chat";

const RUNS = 50;
const MAX_STEPS = Number(process.env.MODEL_STEPS ?? 20);

describe("the chat against its model", () => {
  it(
    `keeps every invariant over ${fuzzRuns(RUNS)} random sequences`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commands, { maxCommands: MAX_STEPS, size: "max" }),
          async (cmds) => {
            const real = await RealChat.start();
            try {
              await fc.asyncModelRun(
                () => ({ model: new ChatModel(), real }),
                [...opening(), ...cmds],
              );
            } finally {
              await real.close();
            }
          },
        ),
        {
          ...fuzzParams(RUNS),
          interruptAfterTimeLimit: process.env.FUZZ_RUNS ? undefined : 60_000,
        },
      );
      // Sequences start with failed checks filtered out; make sure real steps ran.
      expect(RealChat.steps).toBeGreaterThan(fuzzRuns(RUNS));
      console.log(`model test: ${RealChat.steps} steps verified`);
    },
    process.env.FUZZ_RUNS ? 24 * 3600_000 : 90_000,
  );
});
