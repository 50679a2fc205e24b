// One behaviour for every ChatStore backend: each backend's test file calls this.
import type { User } from "../../common/events";
import {
  GROUP_CONVERSATION,
  privateConversation,
  type ChatStore,
  type NewMessage,
} from "../../server/store/types";

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };
const DAY = 24 * 60 * 60 * 1000;

function groupMsg(content: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { from: alice, conversation: GROUP_CONVERSATION, content, ts: Date.now(), ...extra };
}

export function describeStoreContract(
  name: string,
  makeStore: () => Promise<ChatStore>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`ChatStore contract: ${name}`, () => {
    let store: ChatStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it("assigns fixed-width ids that sort as strings in acceptance order", async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.append(groupMsg(`m${i}`), 0)),
      );
      const ids = results.map((r) => r.message.id);
      expect(new Set(ids.map((id) => id.length)).size).toBe(1);
      expect([...ids].sort()).toEqual(ids);
      expect(results.map((r) => r.message.content)).toEqual(results.map((_, i) => `m${i}`));
      expect(results.every((r) => !r.duplicate)).toBe(true);
    });

    it("returns the stored message with sender, recipient and timestamp", async () => {
      const ts = 1_700_000_000_000;
      const { message } = await store.append(
        {
          from: alice,
          to: bob,
          conversation: privateConversation(alice.id, bob.id),
          content: "hi",
          ts,
        },
        0,
      );
      expect(message).toEqual({ id: message.id, from: alice, to: bob, content: "hi", ts });
      const [read] = await store.history({
        conversation: privateConversation(bob.id, alice.id),
        limit: 10,
      });
      expect(read).toEqual(message);
    });

    it("de-duplicates a cid from the same sender, also within one batch", async () => {
      const [a, b] = await Promise.all([
        store.append(groupMsg("first", { cid: "c1" }), 0),
        store.append(groupMsg("again", { cid: "c1" }), 0),
      ]);
      expect(a.duplicate).toBe(false);
      expect(b).toEqual({ message: a.message, duplicate: true });
      const later = await store.append(groupMsg("third", { cid: "c1" }), 0);
      expect(later).toEqual({ message: a.message, duplicate: true });
      const other = await store.append(groupMsg("bob's", { from: bob, cid: "c1" }), 0);
      expect(other.duplicate).toBe(false);
      expect(await store.history({ conversation: GROUP_CONVERSATION, limit: 10 })).toHaveLength(2);
    });

    it("forgets a cid older than the window", async () => {
      const old = await store.append(groupMsg("old", { cid: "c2", ts: Date.now() - 2 * DAY }), 0);
      const fresh = await store.append(groupMsg("new", { cid: "c2" }), Date.now() - DAY);
      expect(fresh.duplicate).toBe(false);
      expect(fresh.message.id > old.message.id).toBe(true);
    });

    it("pages history: newest, before, after, oldest first", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await store.append(groupMsg(`m${i}`), 0)).message.id);
      const contents = (ms: { content: string }[]) => ms.map((m) => m.content);
      const q = { conversation: GROUP_CONVERSATION };
      expect(contents(await store.history({ ...q, limit: 3 }))).toEqual(["m7", "m8", "m9"]);
      expect(contents(await store.history({ ...q, limit: 3, before: ids[5] }))).toEqual([
        "m2",
        "m3",
        "m4",
      ]);
      expect(contents(await store.history({ ...q, limit: 3, after: ids[5] }))).toEqual([
        "m6",
        "m7",
        "m8",
      ]);
      expect(contents(await store.history({ ...q, limit: 50, after: ids[9] }))).toEqual([]);
      expect(contents(await store.history({ ...q, limit: 2, before: ids[0] }))).toEqual([]);
    });

    it("keeps conversations apart", async () => {
      await store.append(groupMsg("group"), 0);
      const conv = privateConversation(alice.id, bob.id);
      await store.append(
        { from: alice, to: bob, conversation: conv, content: "secret", ts: Date.now() },
        0,
      );
      const group = await store.history({ conversation: GROUP_CONVERSATION, limit: 10 });
      expect(group.map((m) => m.content)).toEqual(["group"]);
      const other = await store.history({
        conversation: privateConversation(alice.id, "u-carol"),
        limit: 10,
      });
      expect(other).toEqual([]);
    });

    it("stores text exactly, including markup and any script", async () => {
      const content = "<img src=x onerror=alert(1)> 东东 🎉 'quotes' \"double\"\nline";
      const { message } = await store.append(groupMsg(content), 0);
      const [read] = await store.history({ conversation: GROUP_CONVERSATION, limit: 1 });
      expect(read.content).toBe(content);
      expect(read.id).toBe(message.id);
    });
  });
}
