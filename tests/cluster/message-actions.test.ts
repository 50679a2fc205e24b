// Message actions and search on two nodes sharing Redis and PostgreSQL.
import type { Message, Room } from "../../common/events";
import { callOk, nextEvent, recordEvents, sendOk, sleep, uniqueName } from "../support/clients";
import { useCluster } from "./harness";

const { join } = useCluster(2);

describe("message actions on two nodes", () => {
  it("updates reach exactly the original audience on the other node", async () => {
    const [a, b, outsider] = [await join(0), await join(1), await join(1)];
    const seen = recordEvents(outsider.socket, ["message:update"]);
    const p = await sendOk(a.socket, { content: "private typo", to: b.user.name });
    const edited = nextEvent(b.socket, "message:update", (m) => m.id === p.id);
    await callOk(a.socket, "message:edit", { id: p.id, content: "private, fixed" });
    expect((await edited).content).toBe("private, fixed");

    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("c"),
      kind: "closed",
      members: [b.user.name],
    });
    const r = await sendOk(b.socket, { content: "in the room", room: room.id });
    const reacted = nextEvent(a.socket, "message:update", (m) => m.id === r.id);
    await callOk(b.socket, "message:react", { id: r.id, emoji: "👍" });
    expect((await reacted).reactions).toEqual([{ emoji: "👍", users: [b.user] }]);
    await sleep(300);
    expect(seen).toEqual([]);
  });

  it("search on one node finds what was sent through the other, and not once it is deleted", async () => {
    const [a, b] = [await join(0), await join(1)];
    const word = uniqueName("findme").replace(/[^a-z0-9]/gi, "");
    const m = await sendOk(a.socket, { content: `cluster ${word} 你好世界` });
    const search = async (q: string) =>
      (await callOk<{ messages: Message[] }>(b.socket, "search", { q })).messages.map((x) => x.id);
    expect(await search(word.toUpperCase())).toEqual([m.id]);
    expect(await search(`好世 ${word}`)).toEqual([m.id]);
    await callOk(a.socket, "message:delete", { id: m.id });
    expect(await search(word)).toEqual([]);
  });
});
