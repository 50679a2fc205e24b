// One behaviour for every PushStore backend: each backend's test file calls this.
import type { Stores } from "../../server/store/create-store";
import { MAX_SUBSCRIPTIONS_PER_USER } from "../../server/store/push-store";

const sub = (n: number) => ({
  endpoint: `https://push.example/${n}`,
  p256dh: `key-${n}`,
  auth: `auth-${n}`,
});

export function describePushStoreContract(name: string, makeStores: () => Promise<Stores>): void {
  describe(`PushStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
    });
    afterEach(() => s.store.close());

    it("keeps subscriptions per user; an endpoint belongs to one user; drop and unsubscribe", async () => {
      expect(await s.push.anySubscriptions()).toBe(false);
      await s.push.subscribe("u1", sub(1), 1);
      expect(await s.push.anySubscriptions()).toBe(true);
      await s.push.subscribe("u1", sub(2), 2);
      await s.push.subscribe("u2", sub(3), 3);
      expect(await s.push.subscriptionsOf(["u1"])).toEqual([
        { userId: "u1", ...sub(1) },
        { userId: "u1", ...sub(2) },
      ]);
      // The same browser, now logged in as somebody else: the endpoint moves, keys refresh.
      await s.push.subscribe("u2", { ...sub(2), auth: "new" }, 4);
      expect(await s.push.subscriptionsOf(["u1", "u2", "u1"])).toEqual(
        expect.arrayContaining([
          { userId: "u1", ...sub(1) },
          { userId: "u2", ...sub(3) },
          { userId: "u2", ...sub(2), auth: "new" },
        ]),
      );
      expect(await s.push.subscriptionsOf(["u1", "u2"])).toHaveLength(3);
      expect(await s.push.unsubscribe("u1", sub(3).endpoint)).toBe(false);
      expect(await s.push.unsubscribe("u2", sub(3).endpoint)).toBe(true);
      await s.push.drop(sub(1).endpoint);
      expect(await s.push.subscriptionsOf(["u1"])).toEqual([]);
      expect(await s.push.anySubscriptions()).toBe(true);
      await s.push.unsubscribe("u2", sub(2).endpoint);
      expect(await s.push.anySubscriptions()).toBe(false);
      expect(await s.push.subscriptionsOf([])).toEqual([]);
    });

    it("keeps a user's newest subscriptions only", async () => {
      for (let i = 1; i <= MAX_SUBSCRIPTIONS_PER_USER + 2; i++)
        await s.push.subscribe("u1", sub(i), i);
      const kept = (await s.push.subscriptionsOf(["u1"])).map((x) => x.endpoint);
      expect(kept).toHaveLength(MAX_SUBSCRIPTIONS_PER_USER);
      expect(kept).not.toContain(sub(1).endpoint);
      expect(kept).not.toContain(sub(2).endpoint);
      expect(kept).toContain(sub(MAX_SUBSCRIPTIONS_PER_USER + 2).endpoint);
    });

    it("stores levels per user and conversation, and forgets a user entirely", async () => {
      await s.push.setLevel("u1", "group", "all");
      await s.push.setLevel("u1", "r:a", "none");
      await s.push.setLevel("u1", "r:a", "mentions");
      await s.push.setLevel("u2", "group", "none");
      expect(await s.push.levels("u1", ["r:a", "r:b", "group"])).toEqual(["mentions", null, "all"]);
      expect(await s.push.levels("u1", [])).toEqual([]);
      expect(await s.push.levelsIn("group")).toEqual(
        new Map([
          ["u1", "all"],
          ["u2", "none"],
        ]),
      );
      await s.push.subscribe("u1", sub(1), 1);
      await s.push.forgetUser("u1");
      expect(await s.push.levels("u1", ["group", "r:a"])).toEqual([null, null]);
      expect(await s.push.subscriptionsOf(["u1"])).toEqual([]);
      expect(await s.push.levelsIn("group")).toEqual(new Map([["u2", "none"]]));
    });
  });
}
