import { checkNickname, nicknameKey } from "../../common/names";

describe("nickname rules", () => {
  it.each(["alice", "东东", "Ölçü", "José_2", "a.b-c d", "नमस्ते", "x".repeat(24), "  padded  "])(
    "accepts %j",
    (name) => {
      const r = checkNickname(name);
      expect(r).toEqual({ ok: true, name: name.trim(), key: expect.any(String) });
    },
  );

  it.each([
    "",
    "   ",
    "x".repeat(25),
    "a<b",
    "a\u200bb",
    "a\u0000b",
    "tab\there",
    "😀",
    "a@b",
    "a/b",
    5,
    null,
  ])("refuses %j", (name) => {
    expect(checkNickname(name)).toEqual({ ok: false });
  });

  it("folds case and compatibility forms into one key", () => {
    expect(nicknameKey("Alice")).toBe(nicknameKey("ALICE"));
    expect(nicknameKey("ＡＬＩＣＥ")).toBe(nicknameKey("alice"));
    expect(nicknameKey("Straße")).toBe(nicknameKey("STRASSE"));
    expect(nicknameKey("ΟΔΥΣΣΕΥΣ")).toBe(nicknameKey("οδυσσευς"));
    expect(nicknameKey("bob")).not.toBe(nicknameKey("bób"));
  });
});
