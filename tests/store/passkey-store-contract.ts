// One behaviour for every PasskeyStore backend: each backend's test file calls this.
import type { User } from "../../common/events";
import type { Stores } from "../../server/store/create-store";
import type { PasskeyRecord } from "../../server/store/passkey-store";

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };

const passkey = (id: string, userId: string, createdAt = 1): PasskeyRecord => ({
  id,
  userId,
  name: `Passkey ${id}`,
  publicKey: new Uint8Array([1, 2, 3, 0, 255]),
  counter: 0,
  transports: ["internal", "hybrid"],
  createdAt,
  lastUsedAt: null,
});

export function describePasskeyStoreContract(name: string, makeStores: () => Promise<Stores>) {
  describe(`PasskeyStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
      for (const user of [alice, bob]) {
        const key = user.name.toLowerCase();
        await s.sessionStore.createUser(
          { user, nameKey: key, skeleton: key, createdAt: 1 },
          {
            id: `s-${user.id}`,
            userId: user.id,
            tokenHash: `h-${user.id}`,
            ip: "",
            createdAt: 1,
            lastSeenAt: Date.now(),
          },
          0,
        );
      }
    });
    afterEach(() => s.store.close());

    it("adds, finds and lists passkeys, and marks the user secured", async () => {
      expect((await s.accounts.status(alice.id))?.secured).toBe(false);
      expect(await s.passkeys.add(passkey("k1", alice.id, 5))).toBe(true);
      expect(await s.passkeys.add(passkey("k0", alice.id, 9))).toBe(true);
      expect(await s.passkeys.add(passkey("k2", bob.id))).toBe(true);
      expect((await s.accounts.status(alice.id))?.secured).toBe(true);
      expect(await s.passkeys.get("k1")).toEqual(passkey("k1", alice.id, 5));
      expect(await s.passkeys.get("nope")).toBeNull();
      expect((await s.passkeys.of(alice.id)).map((p) => p.id)).toEqual(["k1", "k0"]);
      expect(await s.passkeys.of("u-nobody")).toEqual([]);
      // A secured user outlives its sessions.
      await s.sessionStore.deleteUser(alice.id);
      expect(await s.sessionStore.findUserByName("alice", Date.now())).toEqual(alice);
    });

    it("refuses a taken id (leaving a guest a guest) and a user that is gone", async () => {
      expect(await s.passkeys.add(passkey("k1", alice.id))).toBe(true);
      expect(await s.passkeys.add(passkey("k1", bob.id))).toBe(false);
      expect((await s.accounts.status(bob.id))?.secured).toBe(false);
      expect((await s.passkeys.get("k1"))?.userId).toBe(alice.id);
      expect(await s.passkeys.add(passkey("k9", "u-nobody"))).toBe(false);
      expect(await s.passkeys.get("k9")).toBeNull();
    });

    it("records a sign-in only when the counter goes forward, or stays 0", async () => {
      await s.passkeys.add(passkey("k1", alice.id));
      expect(await s.passkeys.use("k1", 0, 100)).toBe(true);
      expect(await s.passkeys.get("k1")).toMatchObject({ counter: 0, lastUsedAt: 100 });
      expect(await s.passkeys.use("k1", 7, 200)).toBe(true);
      expect(await s.passkeys.use("k1", 7, 300)).toBe(false);
      expect(await s.passkeys.use("k1", 3, 300)).toBe(false);
      expect(await s.passkeys.use("k1", 0, 300)).toBe(false);
      expect(await s.passkeys.get("k1")).toMatchObject({ counter: 7, lastUsedAt: 200 });
      expect(await s.passkeys.use("k1", 2 ** 32 - 1, 400)).toBe(true);
      expect((await s.passkeys.get("k1"))?.counter).toBe(2 ** 32 - 1);
      expect(await s.passkeys.use("nope", 9, 400)).toBe(false);
    });

    it("never removes the last credential; a password or another passkey lets one go", async () => {
      await s.passkeys.add(passkey("k1", alice.id));
      expect(await s.passkeys.remove(bob.id, "k1")).toBe("not_found");
      expect(await s.passkeys.remove(alice.id, "nope")).toBe("not_found");
      expect(await s.passkeys.remove(alice.id, "k1")).toBe("last_credential");
      await s.passkeys.add(passkey("k2", alice.id, 2));
      expect(await s.passkeys.remove(alice.id, "k1")).toBe("removed");
      expect(await s.passkeys.remove(alice.id, "k1")).toBe("not_found");
      expect(await s.passkeys.remove(alice.id, "k2")).toBe("last_credential");
      await s.accounts.setPassword(alice.id, "scrypt$hash");
      expect(await s.passkeys.remove(alice.id, "k2")).toBe("removed");
      expect(await s.passkeys.of(alice.id)).toEqual([]);
      expect((await s.accounts.status(alice.id))?.secured).toBe(true);
    });

    it("lets two removals at once never take both of the last two passkeys", async () => {
      await s.passkeys.add(passkey("k1", alice.id));
      await s.passkeys.add(passkey("k2", alice.id, 2));
      const outcomes = await Promise.all([
        s.passkeys.remove(alice.id, "k1"),
        s.passkeys.remove(alice.id, "k2"),
      ]);
      expect(outcomes.sort()).toEqual(["last_credential", "removed"]);
      expect(await s.passkeys.of(alice.id)).toHaveLength(1);
    });

    it("redeems a challenge once, before it expires, with its user", async () => {
      await s.passkeys.saveChallenge("c-reg", alice.id, 1000);
      await s.passkeys.saveChallenge("c-login", null, 1000);
      await s.passkeys.saveChallenge("c-old", null, 500);
      expect(await s.passkeys.takeChallenge("c-reg", 999)).toEqual({ userId: alice.id });
      expect(await s.passkeys.takeChallenge("c-reg", 999)).toBeUndefined();
      expect(await s.passkeys.takeChallenge("c-old", 500)).toBeUndefined();
      expect(await s.passkeys.takeChallenge("c-login", 999)).toEqual({ userId: null });
      expect(await s.passkeys.takeChallenge("unknown", 0)).toBeUndefined();
      await s.passkeys.saveChallenge("c-late", null, 1000);
      expect(await s.passkeys.takeChallenge("c-late", 1000)).toBeUndefined();
      expect(await s.passkeys.takeChallenge("c-late", 0)).toBeUndefined();
    });

    it("gives a challenge redeemed twice at once to one of the two", async () => {
      await s.passkeys.saveChallenge("c1", null, 1000);
      const both = await Promise.all([
        s.passkeys.takeChallenge("c1", 1),
        s.passkeys.takeChallenge("c1", 1),
      ]);
      expect(both.filter((x) => x !== undefined)).toEqual([{ userId: null }]);
    });
  });
}
