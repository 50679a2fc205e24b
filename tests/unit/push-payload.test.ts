import type { Message, User } from "../../common/events";
import { directConv, GROUP } from "../../server/conversations/conversation";
import { APP_ICON, pushPayload } from "../../server/push/payload";

const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };
const message = (avatar: string): Message => ({
  id: "00000000000000000001",
  from: { id: "u-alice", name: "Alice", avatar },
  room: "group",
  content: "hello",
  ts: 1,
});

describe("a push's icon", () => {
  it("is the sender's uploaded picture, else the app's icon (notifications need a raster)", () => {
    const custom = message("custom:AbCdEfGhIjKlMnOpQrStUv");
    expect(pushPayload(custom, GROUP).icon).toBe("/avatars/custom/AbCdEfGhIjKlMnOpQrStUv.webp");
    expect(pushPayload(message("fox"), directConv(bob, message("fox").from)).icon).toBe(APP_ICON);
    expect(APP_ICON).toBe("/icons/icon-192.png");
  });
});
