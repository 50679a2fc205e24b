// Profile pictures on two nodes with PostgreSQL and Redis: uploaded on one node, served by
// the other; the uploader's sockets on the other node send with it; everyone hears of it.
import { connect, connected, nextEvent, sendOk } from "../support/clients";
import { download, jpegWithGps, postFile } from "../support/uploads";
import type { User } from "../../common/events";
import { useCluster } from "./harness";

const { join, url } = useCluster(2);

describe("profile pictures on two nodes", () => {
  it("uploaded on node A: node B serves it, lists it, and the uploader's socket on B sends with it", async () => {
    // Alice's socket is on node B; she uploads through node A.
    const [alice, bob] = [await join(1), await join(1)];
    const heard = nextEvent(bob.socket, "user", ({ user }) => user.id === alice.user.id);
    const res = await postFile<{ user: User }>(
      `${url(0)}/api/account/avatar`,
      alice.token,
      await jpegWithGps(),
      "me.jpg",
    );
    expect(res.status).toBe(200);
    const { avatar } = res.body.user;
    expect(avatar).toMatch(/^custom:/);
    expect((await heard).user.avatar).toBe(avatar);

    const picture = await download(url(1), `/avatars/custom/${avatar.slice(7)}.webp`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/webp");

    const sent = await sendOk(alice.socket, { content: "from node B" });
    expect(sent.from.avatar).toBe(avatar);
    const late = connect(url(0), bob.token);
    const online = nextEvent(late, "online");
    await connected(late);
    expect((await online).users.find((u) => u.id === alice.user.id)?.avatar).toBe(avatar);
    late.close();
  });
});
