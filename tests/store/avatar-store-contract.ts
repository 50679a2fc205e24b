// One behaviour for every AvatarStore backend: each backend's test file calls this.
import type { Stores } from "../../server/store/create-store";

const picture = (n: number) => Buffer.from([0x52, 0x49, 0x46, 0x46, n, 0, 0xff, n]);

export function describeAvatarStoreContract(name: string, makeStores: () => Promise<Stores>): void {
  describe(`AvatarStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
    });
    afterEach(() => s.store.close());

    it("keeps each picture's bytes under its id", async () => {
      expect(await s.avatars.get("nope")).toBeNull();
      await s.avatars.save("a1", "u1", picture(1), 1);
      await s.avatars.save("b1", "u2", picture(2), 2);
      const got = await s.avatars.get("a1");
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got?.equals(picture(1))).toBe(true);
      expect((await s.avatars.get("b1"))?.equals(picture(2))).toBe(true);
    });

    it("removes a user's other pictures only, and all of them with nothing to keep", async () => {
      await s.avatars.save("a1", "u1", picture(1), 1);
      await s.avatars.save("a2", "u1", picture(2), 2);
      await s.avatars.save("a3", "u1", picture(3), 3);
      await s.avatars.save("b1", "u2", picture(4), 4);
      expect(await s.avatars.removeOthers("u1", "a3")).toBe(2);
      expect(await s.avatars.get("a1")).toBeNull();
      expect(await s.avatars.get("a2")).toBeNull();
      expect((await s.avatars.get("a3"))?.equals(picture(3))).toBe(true);
      expect(await s.avatars.removeOthers("u1", "a3")).toBe(0);
      // Another user's id to keep keeps nothing of this user's.
      expect(await s.avatars.removeOthers("u1", "b1")).toBe(1);
      expect((await s.avatars.get("b1"))?.equals(picture(4))).toBe(true);
      await s.avatars.save("a4", "u1", picture(5), 5);
      expect(await s.avatars.removeOthers("u1", null)).toBe(1);
      expect(await s.avatars.get("a4")).toBeNull();
      expect(await s.avatars.get("b1")).not.toBeNull();
    });
  });
}
