import { nicknameKey } from "../../common/names";
import { skeletonKey } from "../../server/auth/skeleton";

describe("confusable skeletons (UTS #39)", () => {
  it.each([
    ["paypal", "p\u0430ypal"], // Cyrillic а
    ["paypal", "PAYPAL"],
    ["paypal", "paypa1"], // digit one looks like l
    ["scope", "\u0455\u0441\u043e\u0440\u0435"], // all Cyrillic
    ["ＡＢＣ", "abc"], // fullwidth, via the NFKC key
  ])("%j and %j share a skeleton", (a, b) => {
    expect(skeletonKey(a)).toBe(skeletonKey(b));
  });

  it.each([
    ["alice", "alicia"],
    ["东东", "冬冬"],
    ["user1-2", "user1-3"],
  ])("%j and %j stay apart", (a, b) => {
    expect(skeletonKey(a)).not.toBe(skeletonKey(b));
  });

  it("leaves nicknameKey as it was (NFKC + case folding only)", () => {
    expect(nicknameKey("p\u0430ypal")).not.toBe(nicknameKey("paypal"));
  });
});
