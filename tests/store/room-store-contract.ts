// One behaviour for every RoomStore and ReadStateStore backend: each backend's test file calls this.
import fc from "fast-check";
import type { User } from "../../common/events";
import type { Stores } from "../../server/store/create-store";
import { NOTHING_READ } from "../../server/store/read-store";
import { roomConversation, type NewRoom } from "../../server/store/room-store";
import { GROUP_CONVERSATION, privateConversation } from "../../server/store/types";

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };
const carol: User = { id: "u-carol", name: "Carol", avatar: "cat" };

let n = 0;
function newRoom(kind: "open" | "closed", extra: Partial<NewRoom> = {}): NewRoom {
  const name = `Room ${++n}`;
  return {
    id: `room-${n}`,
    name,
    nameKey: name.toLowerCase(),
    kind,
    topic: "",
    createdBy: alice,
    createdAt: 1000 + n,
    ...extra,
  };
}

export function describeRoomStoresContract(name: string, makeStores: () => Promise<Stores>): void {
  describe(`RoomStore and ReadStateStore contract: ${name}`, () => {
    let s: Stores;
    beforeEach(async () => {
      s = await makeStores();
    });
    afterEach(() => s.store.close());

    it("creates rooms with members; names are unique; lists what each user may see", async () => {
      const open = newRoom("open");
      const closed = newRoom("closed");
      expect(await s.rooms.create(open, [alice.id])).toBe("created");
      expect(await s.rooms.create(closed, [alice.id, bob.id, bob.id])).toBe("created");
      expect(await s.rooms.create(newRoom("open", { nameKey: open.nameKey }), [bob.id])).toBe(
        "taken",
      );
      expect(await s.rooms.get(closed.id)).toEqual({ ...closed, members: 2 });
      expect(await s.rooms.get("missing")).toBeNull();
      expect((await s.rooms.visibleTo(carol.id)).map((r) => r.id)).toEqual([open.id]);
      expect((await s.rooms.visibleTo(bob.id)).map((r) => r.id).sort()).toEqual(
        [open.id, closed.id].sort(),
      );
      expect((await s.rooms.memberOf(bob.id)).map((r) => r.id)).toEqual([closed.id]);
    });

    it("adds and removes members, once each", async () => {
      const room = newRoom("closed");
      await s.rooms.create(room, [alice.id]);
      expect(await s.rooms.addMember(room.id, bob.id, 5)).toBe(true);
      expect(await s.rooms.addMember(room.id, bob.id, 6)).toBe(false);
      expect(await s.rooms.isMember(room.id, bob.id)).toBe(true);
      expect((await s.rooms.memberIds(room.id)).sort()).toEqual([alice.id, bob.id]);
      expect(await s.rooms.removeMember(room.id, bob.id)).toBe(true);
      expect(await s.rooms.removeMember(room.id, bob.id)).toBe(false);
      expect(await s.rooms.isMember(room.id, bob.id)).toBe(false);
    });

    it("lists a room's members as the users they are now, and nobody else", async () => {
      const at = Date.now();
      for (const [user, session] of [
        [{ ...alice, admin: true as const }, "s-alice"],
        [bob, "s-bob"],
        [carol, "s-carol"],
      ] as const) {
        const newUser = {
          user,
          nameKey: user.name.toLowerCase(),
          skeleton: user.id,
          createdAt: at,
        };
        const newSession = {
          id: session,
          userId: user.id,
          tokenHash: `hash-${session}`,
          ip: "10.0.0.1",
          createdAt: at,
          lastSeenAt: at,
        };
        await s.sessionStore.createUser(newUser, newSession, at - 1000);
      }
      await s.sessionStore.setAdmin(alice.id);
      const room = newRoom("closed");
      await s.rooms.create(room, [alice.id, bob.id]);
      const byName = (users: User[]) => [...users].sort((a, b) => a.name.localeCompare(b.name));
      // No admin flag: the list says who is there, not who may moderate.
      expect(byName(await s.rooms.members(room.id))).toEqual([alice, bob]);
      await s.rooms.removeMember(room.id, bob.id);
      expect(await s.rooms.members(room.id)).toEqual([alice]);
      expect(await s.rooms.members("missing")).toEqual([]);
    });

    it("updates names and topics, refusing a name in use", async () => {
      const [a, b] = [newRoom("open"), newRoom("open")];
      await s.rooms.create(a, [alice.id]);
      await s.rooms.create(b, [alice.id]);
      expect(await s.rooms.update(a.id, { topic: "new topic" })).toBe("updated");
      expect(await s.rooms.update(a.id, { name: "B", nameKey: b.nameKey })).toBe("taken");
      expect(await s.rooms.update(a.id, { name: "Renamed", nameKey: "renamed" })).toBe("updated");
      expect(await s.rooms.update("missing", { topic: "x" })).toBe("missing");
      expect(await s.rooms.get(a.id)).toMatchObject({ name: "Renamed", topic: "new topic" });
    });

    it("deletes a room with its messages, mentions and read state", async () => {
      const room = newRoom("closed");
      await s.rooms.create(room, [alice.id, bob.id]);
      const conversation = roomConversation(room.id);
      const { message } = await s.store.append(
        { from: alice, conversation, content: "@Bob gone soon", mentions: [bob], ts: 1 },
        0,
      );
      expect(message.room).toBe(room.id);
      await s.reads.markRead(bob.id, conversation, message.id);
      expect(await s.rooms.delete(room.id)).toBe(true);
      expect(await s.rooms.delete(room.id)).toBe(false);
      expect(await s.store.history({ conversation, limit: 10 })).toEqual([]);
      expect(await s.rooms.memberOf(bob.id)).toEqual([]);
    });

    it("forgets a user: out of every room, its empty closed rooms deleted", async () => {
      const [open, lonely, shared] = [newRoom("open"), newRoom("closed"), newRoom("closed")];
      await s.rooms.create(open, [carol.id]);
      await s.rooms.create(lonely, [carol.id]);
      await s.rooms.create(shared, [carol.id, bob.id]);
      const { left, deleted } = await s.rooms.forgetUser(carol.id);
      expect(left.sort()).toEqual([open.id, lonely.id, shared.id].sort());
      expect(deleted).toEqual([lonely.id]);
      expect(await s.rooms.get(lonely.id)).toBeNull();
      expect(await s.rooms.get(open.id)).toMatchObject({ members: 0 });
      expect(await s.rooms.get(shared.id)).toMatchObject({ members: 1 });
    });

    it("keeps read marks that only move forward, and counts unread and mentions after them", async () => {
      const conversation = roomConversation("counting");
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const from = i === 2 ? bob : alice;
        const mentions = i === 3 ? [bob] : undefined;
        ids.push(
          (await s.store.append({ from, conversation, content: `${i}`, mentions, ts: i }, 0))
            .message.id,
        );
      }
      // Another conversation's later message is not a place to stop.
      const elsewhere = await s.store.append(
        { from: alice, conversation: "group", content: "x", ts: 9 },
        0,
      );
      let [sum] = await s.reads.summaries(bob.id, [{ key: conversation, startAtNewest: false }]);
      expect(sum).toEqual({ lastRead: NOTHING_READ, unread: 3, mentions: 1 });
      expect(await s.reads.markRead(bob.id, conversation, ids[1])).toBe(ids[1]);
      expect(await s.reads.markRead(bob.id, conversation, ids[0])).toBe(ids[1]);
      [sum] = await s.reads.summaries(bob.id, [{ key: conversation, startAtNewest: true }]);
      expect(sum).toEqual({ lastRead: ids[1], unread: 1, mentions: 1 });
      expect(await s.reads.markRead(bob.id, conversation, elsewhere.message.id)).toBe(ids[3]);
      [sum] = await s.reads.summaries(bob.id, [{ key: conversation, startAtNewest: false }]);
      expect(sum).toEqual({ lastRead: ids[3], unread: 0, mentions: 0 });
    });

    it("counts unread as a plain count would, for any appends (batched or not) and marks", async () => {
      const people = [alice, bob, carol];
      const step = fc.record({
        from: fc.integer({ min: 0, max: 2 }),
        room: fc.integer({ min: 0, max: 1 }),
        together: fc.integer({ min: 1, max: 3 }),
      });
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 12 }),
          fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
          async (steps, marks) => {
            const keys = [roomConversation(`p${++round}a`), roomConversation(`p${round}b`)];
            const stored: { id: string; from: string; key: string }[] = [];
            for (const { from, room, together } of steps) {
              // Appends offered together share one commit (one batch).
              const sent = await Promise.all(
                Array.from({ length: together }, (_, k) =>
                  s.store.append(
                    { from: people[(from + k) % 3], conversation: keys[room], content: "m", ts: 1 },
                    0,
                  ),
                ),
              );
              for (const r of sent)
                stored.push({ id: r.message.id, from: r.message.from.id, key: keys[room] });
            }
            for (const [i, reader] of people.entries()) {
              const at = stored[marks[i] % stored.length];
              await s.reads.markRead(reader.id, at.key, at.id);
              const sums = await s.reads.summaries(
                reader.id,
                keys.map((key) => ({ key, startAtNewest: false })),
              );
              keys.forEach((key, k) => {
                const mark = sums[k].lastRead;
                const expected = stored.filter(
                  (m) => m.key === key && m.from !== reader.id && m.id > mark,
                ).length;
                expect(sums[k].unread).toBe(expected);
              });
            }
          },
        ),
        { numRuns: 25 },
      );
    });

    it("starts a mark at the newest message when asked, once", async () => {
      const { message } = await s.store.append(
        { from: alice, conversation: GROUP_CONVERSATION, content: "old", ts: 1 },
        0,
      );
      const [first] = await s.reads.summaries(carol.id, [
        { key: GROUP_CONVERSATION, startAtNewest: true },
      ]);
      expect(first).toEqual({ lastRead: message.id, unread: 0, mentions: 0 });
      await s.store.append(
        { from: alice, conversation: GROUP_CONVERSATION, content: "new", ts: 2 },
        0,
      );
      await s.reads.start(carol.id, GROUP_CONVERSATION);
      const [later] = await s.reads.summaries(carol.id, [
        { key: GROUP_CONVERSATION, startAtNewest: true },
      ]);
      expect(later).toEqual({ lastRead: message.id, unread: 1, mentions: 0 });
    });

    it("lists a user's private conversations with their newest message, newest first", async () => {
      const ab = privateConversation(alice.id, bob.id);
      const ac = privateConversation(alice.id, carol.id);
      await s.store.append({ from: alice, to: bob, conversation: ab, content: "1", ts: 1 }, 0);
      const toCarol = await s.store.append(
        { from: carol, to: alice, conversation: ac, content: "2", ts: 2 },
        0,
      );
      const toBob = await s.store.append(
        { from: bob, to: alice, conversation: ab, content: "3", ts: 3 },
        0,
      );
      expect(await s.reads.directs(alice.id)).toEqual([
        { peerId: bob.id, conversation: ab, last: toBob.message },
        { peerId: carol.id, conversation: ac, last: toCarol.message },
      ]);
      expect((await s.reads.directs(bob.id)).map((d) => d.peerId)).toEqual([alice.id]);
      await s.reads.forgetUser(alice.id);
      expect(await s.reads.directs(alice.id)).toEqual([]);
    });
  });
}
