// One behaviour for every SessionStore and BanStore backend: each backend's test file calls these.
import type { User } from "../../common/events";
import type { BanStore, NewSession, NewUser, SessionStore } from "../../server/store/session-types";

const DAY = 24 * 60 * 60 * 1000;
const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };

const newUser = (user: User, key = user.name.toLowerCase(), skeleton = key): NewUser => ({
  user,
  nameKey: key,
  skeleton,
  createdAt: Date.now(),
});
const newSession = (
  id: string,
  userId: string,
  lastSeenAt = Date.now(),
  ip = "10.0.0.1",
): NewSession => ({
  id,
  userId,
  tokenHash: `hash-${id}`,
  ip,
  createdAt: lastSeenAt,
  lastSeenAt,
});

export type Stores = { sessions: SessionStore; bans: BanStore; close(): Promise<void> };

export function describeSessionStoreContract(name: string, make: () => Promise<Stores>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let stores: Stores;
    let store: SessionStore;
    const since = () => Date.now() - DAY;
    beforeEach(async () => {
      stores = await make();
      store = stores.sessions;
    });
    afterEach(() => stores.close());

    it("lets one live user hold a nickname, by key or by skeleton", async () => {
      expect(
        (await store.createUser(newUser(alice), newSession("s1", alice.id), since())).outcome,
      ).toBe("created");
      const sameKey = await store.createUser(
        newUser(bob, "alice", "x"),
        newSession("s2", bob.id),
        since(),
      );
      expect(sameKey.outcome).toBe("taken");
      const sameSkeleton = await store.createUser(
        newUser(bob, "bob", "alice"),
        newSession("s3", bob.id),
        since(),
      );
      expect(sameSkeleton.outcome).toBe("taken");
      expect((await store.findSessionByToken("hash-s1", since()))?.user).toEqual(alice);
      expect(await store.findUserByName("alice", since())).toEqual(alice);
      expect(await store.findSessionByToken("hash-s2", since())).toBeNull();
    });

    it("gives one user several sessions, ending the user with its last one", async () => {
      await store.createUser(newUser(alice), newSession("s1", alice.id), since());
      expect(await store.addSession(newSession("s2", alice.id))).toBe(true);
      const second = await store.findSessionByToken("hash-s2", since());
      expect(second).toMatchObject({ id: "s2", user: alice, nameKey: "alice", ip: "10.0.0.1" });
      expect(await store.deleteSession("s1")).toEqual({ sessionIds: ["s1"], userIds: [] });
      expect(await store.findUserByName("alice", since())).toEqual(alice);
      expect(await store.deleteSession("s2")).toEqual({ sessionIds: ["s2"], userIds: [alice.id] });
      expect(await store.findUserByName("alice", since())).toBeNull();
      expect(await store.addSession(newSession("s3", alice.id))).toBe(false);
      expect(
        (await store.createUser(newUser(bob, "alice"), newSession("s4", bob.id), since())).outcome,
      ).toBe("created");
    });

    it("ends every session of a user at once", async () => {
      await store.createUser(newUser(alice), newSession("s1", alice.id), since());
      await store.addSession(newSession("s2", alice.id));
      const ended = await store.deleteUser(alice.id);
      expect(ended.sessionIds.sort()).toEqual(["s1", "s2"]);
      expect(ended.userIds).toEqual([alice.id]);
      expect(await store.deleteUser(alice.id)).toEqual({ sessionIds: [], userIds: [] });
    });

    it("replaces a stale holder and reports what ended", async () => {
      const old = Date.now() - 2 * DAY;
      await store.createUser(newUser(alice), newSession("s1", alice.id, old), old - DAY);
      expect(await store.findUserByName("alice", since())).toBeNull();
      const result = await store.createUser(
        newUser(bob, "alice"),
        newSession("s2", bob.id),
        since(),
      );
      expect(result).toEqual({
        outcome: "created",
        ended: { sessionIds: ["s1"], userIds: [alice.id] },
      });
    });

    it("touches sessions and expires the idle ones, and users left without one", async () => {
      const old = Date.now() - 2 * DAY;
      await store.createUser(newUser(alice), newSession("a1", alice.id, old), old - DAY);
      await store.addSession(newSession("a2", alice.id, old));
      await store.createUser(newUser(bob), newSession("b1", bob.id, old), old - DAY);
      const now = Date.now();
      await store.touchSessions(["a2"], now);
      const ended = await store.expireSessions(since());
      expect(ended.sessionIds.sort()).toEqual(["a1", "b1"]);
      expect(ended.userIds).toEqual([bob.id]);
      expect((await store.findSessionByToken("hash-a2", since()))?.lastSeenAt).toBe(now);
    });

    it("makes a user an admin, for all its sessions", async () => {
      await store.createUser(newUser(alice), newSession("s1", alice.id), since());
      await store.addSession(newSession("s2", alice.id, Date.now(), "10.0.0.2"));
      expect(await store.setAdmin(alice.id)).toEqual({ ...alice, admin: true });
      expect((await store.findSessionByToken("hash-s2", since()))?.user.admin).toBe(true);
      expect(await store.setAdmin("nobody")).toBeNull();
      expect((await store.sessionIps(alice.id)).sort()).toEqual(["10.0.0.1", "10.0.0.2"]);
    });

    it("uses a link code once, before it expires, while its user lives", async () => {
      await store.createUser(newUser(alice), newSession("s1", alice.id), since());
      const now = Date.now();
      await store.createLinkCode("c1", alice.id, now + 60_000);
      await store.createLinkCode("c2", alice.id, now - 1);
      expect(await store.peekLinkCode("c1", now)).toEqual(alice);
      expect(await store.redeemLinkCode("c1", now)).toBe(alice.id);
      expect(await store.redeemLinkCode("c1", now)).toBeNull();
      expect(await store.peekLinkCode("c2", now)).toBeNull();
      expect(await store.redeemLinkCode("c2", now)).toBeNull();
      await store.createLinkCode("c3", alice.id, now + 60_000);
      await store.deleteUser(alice.id);
      expect(await store.redeemLinkCode("c3", now)).toBeNull();
    });
  });

  describe(`BanStore contract: ${name}`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await make();
    });
    afterEach(() => stores.close());

    it("bans a nickname and its addresses until a time, and unbans", async () => {
      const { bans } = stores;
      const now = Date.now();
      await bans.ban("troll", ["10.0.0.9", "10.0.0.9", "::1"], now + 60_000);
      expect(await bans.isBanned("troll", "192.0.2.1", now)).toBe(true);
      expect(await bans.isBanned(null, "10.0.0.9", now)).toBe(true);
      expect(await bans.isBanned("other", "::1", now)).toBe(true);
      expect(await bans.isBanned("other", "192.0.2.1", now)).toBe(false);
      expect(await bans.isBanned("troll", "192.0.2.1", now + 61_000)).toBe(false);
      expect(await bans.unban("troll")).toBe(true);
      expect(await bans.isBanned("troll", "10.0.0.9", now)).toBe(false);
      expect(await bans.unban("troll")).toBe(false);
    });
  });
}
