// Catalogue sentences cut into parts, so each name can be isolated on its own.
import { CATALOGUES } from "../../common/i18n";
import { isolatedText, sentenceParts } from "../../common/sentence";

describe("sentenceParts", () => {
  it("keeps the sentence's text and puts each name in a part of its own, in order", () => {
    expect(sentenceParts(CATALOGUES.en.typingTwo, "שרה", "دانة")).toEqual([
      { name: "שרה" },
      { text: " and " },
      { name: "دانة" },
      { text: " are typing…" },
    ]);
    expect(sentenceParts(CATALOGUES.zh.typingTwo, "שרה", "دانة")).toEqual([
      { name: "שרה" },
      { text: " 和 " },
      { name: "دانة" },
      { text: " 正在输入…" },
    ]);
    expect(sentenceParts(CATALOGUES.en.replyingTo, "bob")).toEqual([
      { text: "Replying to " },
      { name: "bob" },
    ]);
  });

  it("takes names literally, whatever characters they hold", () => {
    const odd = ["$& $1 <b>", "\uE0000\uE001", "a\u202Eb"];
    for (const name of odd) {
      const parts = sentenceParts(CATALOGUES.en.confirmKick, name);
      expect(parts.filter((p) => "name" in p)).toEqual([{ name }]);
      expect(parts.map((p) => ("name" in p ? p.name : p.text)).join("")).toBe(
        CATALOGUES.en.confirmKick(name),
      );
    }
  });

  it("isolates a name in plain text with FSI … PDI", () => {
    expect(isolatedText("חדר 7")).toBe("\u2068חדר 7\u2069");
  });
});
