// One behaviour for every AccountStore backend, and what being secured changes in the
// SessionStore beside it: each backend's test file calls this.
import type { User } from "../../common/events";
import type { Stores } from "../../server/store/create-store";
import type { NewSession, NewUser } from "../../server/store/session-types";

const DAY = 24 * 60 * 60 * 1000;
const T0 = 1_700_000_000_000;
const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };

const newUser = (user: User): NewUser => ({
  user,
  nameKey: user.name.toLowerCase(),
  skeleton: user.name.toLowerCase(),
  createdAt: T0,
});
const newSession = (id: string, userId: string, lastSeenAt = T0): NewSession => ({
  id,
  userId,
  tokenHash: `hash-${id}`,
  ip: "10.0.0.1",
  createdAt: lastSeenAt,
  lastSeenAt,
});

export function describeAccountStoreContract(name: string, makeStores: () => Promise<Stores>) {
  describe(`AccountStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
      await s.sessionStore.createUser(newUser(alice), newSession("a1", alice.id), T0 - DAY);
      await s.sessionStore.createUser(newUser(bob), newSession("b1", bob.id), T0 - DAY);
    });
    afterEach(() => s.store.close());

    it("a password secures its user; a guest is no account", async () => {
      expect(await s.accounts.byName("alice")).toBeNull();
      expect(await s.accounts.status(alice.id)).toEqual({ secured: false, password: false });
      expect(await s.accounts.passwordHash(alice.id)).toBeNull();
      expect(await s.accounts.setPassword(alice.id, "scrypt$hash")).toBe(true);
      expect(await s.accounts.status(alice.id)).toEqual({ secured: true, password: true });
      expect(await s.accounts.byName("alice")).toEqual({
        user: alice,
        passwordHash: "scrypt$hash",
      });
      expect(await s.accounts.passwordHash(alice.id)).toBe("scrypt$hash");
      expect(await s.accounts.byName("bob")).toBeNull();
      expect(await s.accounts.setPassword("u-nobody", "x")).toBe(false);
      expect(await s.accounts.status("u-nobody")).toBeNull();
    });

    it("sets the avatar; counts failures within a window", async () => {
      expect(await s.accounts.setAvatar(alice.id, "custom:abc")).toEqual({
        ...alice,
        avatar: "custom:abc",
      });
      expect(await s.accounts.setAvatar("u-nobody", "fox")).toBeNull();
      for (let i = 0; i < 3; i++) await s.accounts.recordFailure(alice.id, T0 + i * 1000);
      await s.accounts.recordFailure(bob.id, T0);
      expect(await s.accounts.failuresSince(alice.id, T0)).toBe(3);
      expect(await s.accounts.failuresSince(alice.id, T0 + 1500)).toBe(1);
      expect(await s.accounts.failuresSince(bob.id, T0 + 1)).toBe(0);
    });

    it("a secured user outlives its sessions and keeps its nickname; a guest does not", async () => {
      await s.accounts.setPassword(alice.id, "scrypt$hash");
      const sessions = s.sessionStore;
      // Logout everywhere (and kick) ends the sessions, not the secured user.
      expect(await sessions.deleteUser(alice.id)).toEqual({ sessionIds: ["a1"], userIds: [] });
      expect(await sessions.deleteUser(bob.id)).toEqual({ sessionIds: ["b1"], userIds: [bob.id] });
      const later = T0 + 40 * DAY;
      expect(await sessions.findUserByName("alice", later - DAY)).toEqual(alice);
      expect(await sessions.findUserByName("bob", later - DAY)).toBeNull();
      // Nobody else takes the nickname, however long it has been.
      const carol: User = { id: "u-carol", name: "alice", avatar: "cat" };
      const taken = await sessions.createUser(
        { ...newUser(carol), nameKey: "alice", skeleton: "alice" },
        newSession("c1", carol.id, later),
        later - DAY,
      );
      expect(taken).toEqual({ outcome: "taken", ended: { sessionIds: [], userIds: [] } });
      // Its next session lives by the secured horizon, a guest's by the guest one.
      expect(await sessions.addSession(newSession("a2", alice.id, later))).toBe(true);
      const in2Days = later + 2 * DAY;
      const guestSince = in2Days - DAY;
      const securedSince = in2Days - 30 * DAY;
      expect(await sessions.findSessionByToken("hash-a2", guestSince, securedSince)).toMatchObject({
        user: alice,
        secured: true,
      });
      expect(await sessions.findSessionByToken("hash-a2", guestSince)).toBeNull();
      expect(await sessions.expireSessions(guestSince, securedSince)).toEqual({
        sessionIds: [],
        userIds: [],
      });
      const in31Days = later + 31 * DAY;
      const ended = await sessions.expireSessions(in31Days - DAY, in31Days - 30 * DAY);
      expect(ended).toEqual({ sessionIds: ["a2"], userIds: [] });
      expect(await sessions.findUserByName("alice", in31Days - DAY)).toEqual(alice);
    });
  });
}
