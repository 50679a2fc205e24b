import type { User } from "../../common/events";
import { checkRoomName, checkTopic } from "../../common/names";
import { findMentions, mentionCandidates } from "../../server/chat/mentions";

describe("mention candidates", () => {
  it("are the runs after @ that end where no letter or digit follows", () => {
    expect(mentionCandidates("hi @bob")).toEqual(["bob"]);
    expect(mentionCandidates("hi @bob!")).toEqual(["bob"]);
    expect(mentionCandidates("@bo b, yes")).toEqual(["bo", "bo b"]);
    expect(mentionCandidates("@bobby")).toEqual(["bobby"]);
    expect(mentionCandidates("no at sign")).toEqual([]);
    expect(mentionCandidates("mail me: x@")).toEqual([]);
  });

  it("compare like nicknames: case folded and NFKC", () => {
    expect(mentionCandidates("@BOB")).toEqual(["bob"]);
    expect(mentionCandidates("@ＢＯＢ")).toEqual(["bob"]);
    expect(mentionCandidates("@东东 你好")).toContain("东东");
  });

  it("stay bounded on hostile input", () => {
    expect(mentionCandidates("@".repeat(2000)).length).toBe(0);
    expect(mentionCandidates("@a ".repeat(700)).length).toBeLessThanOrEqual(200);
  });
});

describe("findMentions", () => {
  const bob: User = { id: "b", name: "Bob", avatar: "owl", admin: true };
  const holders = new Map([["bob", bob]]);
  it("keeps holders who may read, once, without the admin flag", async () => {
    const found = await findMentions(
      "@bob @Bob @nobody",
      async (key) => holders.get(key) ?? null,
      async () => true,
    );
    expect(found).toEqual([{ id: "b", name: "Bob", avatar: "owl" }]);
    expect(
      await findMentions(
        "@bob",
        async (key) => holders.get(key) ?? null,
        async () => false,
      ),
    ).toEqual([]);
  });
});

describe("room names and topics", () => {
  it("are trimmed, bounded, with nothing invisible", () => {
    expect(checkRoomName("  Cats & dogs! 🐱 ")).toEqual({
      ok: true,
      name: "Cats & dogs! 🐱",
      key: "cats & dogs! 🐱",
    });
    for (const bad of ["", "   ", "x".repeat(41), "a\u200bb", "a\nb", "\u202eevil", 5, null]) {
      expect(checkRoomName(bad).ok).toBe(false);
    }
    expect(checkRoomName("é".repeat(40)).ok).toBe(true);
    expect(checkTopic("  ")).toBe("");
    expect(checkTopic("t".repeat(201))).toBeNull();
    expect(checkTopic("a\u0007b")).toBeNull();
    // No bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), nothing invisible.
    for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(checkTopic(`gnp${String.fromCodePoint(c)}exe`)).toBeNull();
    }
    for (const bad of ["a\u200bb", "a\ufeffb", "a\u2028b", "\u3164"]) {
      expect(checkTopic(bad)).toBeNull();
    }
    // The joiners Persian and emoji sequences need stay.
    expect(checkTopic("می\u200cخواهم")).toBe("می\u200cخواهم");
    expect(checkTopic("👩\u200d💻 at work")).toBe("👩\u200d💻 at work");
  });
});
