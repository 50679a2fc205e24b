// One behaviour for every MessageActionStore and SearchStore backend.
import type { User } from "../../common/events";
import type { Stores } from "../../server/store/create-store";
import { searchTerms } from "../../server/store/search-store";
import { GROUP_CONVERSATION, privateConversation } from "../../server/store/types";

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };

export function describeMessageActionsContract(
  name: string,
  makeStores: () => Promise<Stores>,
  /** Everything the database holds of the messages, as text (the file, the table…). */
  rawText?: (s: Stores) => Promise<string>,
  /** Brings a search index that is kept up in batches up to date now (SQLite). */
  indexNow: (s: Stores) => void = () => {},
): void {
  describe(`MessageActionStore and SearchStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
    });
    afterEach(() => s.store.close());

    const send = async (content: string, extra = {}) =>
      (
        await s.store.append(
          { from: alice, conversation: GROUP_CONVERSATION, content, ts: Date.now(), ...extra },
          0,
        )
      ).message;
    const find = (q: string, conversations = [GROUP_CONVERSATION], before?: string) =>
      s.search.search({ terms: searchTerms(q), conversations, before, limit: 20 });

    it("gets a message with its conversation; replies quote the original as it is now", async () => {
      const original = await send("first version");
      const reply = await send("an answer", { replyTo: original });
      expect(reply.replyTo).toEqual({ id: original.id, from: alice, content: "first version" });
      expect(await s.actions.get(original.id)).toEqual({
        message: original,
        conversation: GROUP_CONVERSATION,
      });
      expect(await s.actions.get("999999")).toBeNull();
      await s.actions.edit(original.id, "second version", [], 5);
      const [, again] = await s.store.history({ conversation: GROUP_CONVERSATION, limit: 2 });
      expect(again.replyTo?.content).toBe("second version");
    });

    it("edits text and mentions, erases everything but id, author and time", async () => {
      const m = await send("hello @Bob", { mentions: [bob] });
      if (rawText) expect(await rawText(s)).toContain("hello @Bob");
      const edited = await s.actions.edit(m.id, "hello all", [], 1234);
      if (rawText) expect(await rawText(s)).not.toContain("hello @Bob");
      expect(edited).toMatchObject({ content: "hello all", editedAt: 1234 });
      expect(edited?.mentions).toBeUndefined();
      await s.actions.react(m.id, bob, "👍");
      const erased = await s.actions.erase(m.id);
      expect(erased).toEqual({
        id: m.id,
        from: alice,
        ts: m.ts,
        content: "",
        room: "group",
        editedAt: 1234,
        deleted: true,
      });
      expect(await s.actions.react(m.id, bob, "👍")).toBeNull();
      expect(await s.actions.erase("999999")).toBeNull();
      if (rawText) expect(await rawText(s)).not.toContain("hello all");
    });

    it("toggles reactions in order of first use, at most 20 different emoji", async () => {
      const m = await send("react");
      await s.actions.react(m.id, alice, "👍");
      await s.actions.react(m.id, bob, "🎉");
      let r = await s.actions.react(m.id, bob, "👍");
      expect(r !== "too_many" && r?.reactions).toEqual([
        { emoji: "👍", users: [alice, bob] },
        { emoji: "🎉", users: [bob] },
      ]);
      r = await s.actions.react(m.id, bob, "🎉");
      expect(r !== "too_many" && r?.reactions).toEqual([{ emoji: "👍", users: [alice, bob] }]);
      const emoji = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂"];
      for (const e of emoji) expect(await s.actions.react(m.id, alice, e)).not.toBe("too_many");
      expect(await s.actions.react(m.id, alice, "🤔")).toBe("too_many");
    });

    // "tail": nothing indexed yet; "indexed": everything; "mixed": the first two messages.
    it.each(["tail", "indexed", "mixed"] as const)(
      "searches substrings case-insensitively, newest first, only where asked, never deleted (%s)",
      async (mode) => {
        const a = await send("Alpha BETA gamma");
        const b = await send("beta only");
        if (mode === "mixed") indexNow(s);
        const zh = await send("我们明天见面吧");
        const fr = await send("ÉCOLE Straße");
        const hidden = await s.store.append(
          {
            from: alice,
            to: bob,
            conversation: privateConversation(alice.id, bob.id),
            content: "beta in private",
            ts: 1,
          },
          0,
        );
        if (mode === "indexed") indexNow(s);
        expect((await find("beta")).map((m) => m.id)).toEqual([b.id, a.id]);
        expect((await find("ALPHA gam")).map((m) => m.id)).toEqual([a.id]);
        expect((await find("明天")).map((m) => m.id)).toEqual([zh.id]);
        expect((await find("天见面")).map((m) => m.id)).toEqual([zh.id]);
        expect((await find("école")).map((m) => m.id)).toEqual([fr.id]);
        expect((await find("beta", [GROUP_CONVERSATION], b.id)).map((m) => m.id)).toEqual([a.id]);
        expect(
          (await find("beta", [privateConversation(alice.id, bob.id)])).map((m) => m.id),
        ).toEqual([hidden.message.id]);
        await s.actions.erase(b.id);
        await s.actions.edit(a.id, "renamed", [], 2);
        expect(await find("beta")).toEqual([]);
        expect((await find("renamed")).map((m) => m.id)).toEqual([a.id]);
        expect(await find("beta", [])).toEqual([]);
        // An edit before the index holds the message: indexed later as it is then.
        await s.actions.edit(fr.id, "Strand", [], 3);
        indexNow(s);
        expect(await find("école")).toEqual([]);
        expect((await find("strand")).map((m) => m.id)).toEqual([fr.id]);
        expect((await find("renamed")).map((m) => m.id)).toEqual([a.id]);
        expect(await find("beta")).toEqual([]);
      },
    );
  });
}
