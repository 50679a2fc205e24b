// The `rooms` snapshot each socket gets right after `online`: the rooms the user is in
// (`group` first) and its private conversations with users who still hold their nicknames,
// each with the user's read state.
import type { DirectState, RoomState, RoomsPayload, User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import {
  defaultLevel,
  GROUP,
  groupRoom,
  roomConv,
  toRoom,
  type Conversation,
} from "../conversations/conversation";
import type { PushStore } from "../store/push-store";
import type { ReadStateStore } from "../store/read-store";
import type { RoomRecord } from "../store/room-store";

export class RoomsSnapshot {
  constructor(
    private readonly reads: ReadStateStore,
    private readonly sessions: SessionService,
    private readonly push: Pick<PushStore, "levels">,
  ) {}

  /** `mine` are the rooms the user is in; `online` the group room's member count. */
  async of(user: User, mine: RoomRecord[], online: number): Promise<RoomsPayload> {
    const convs: Conversation[] = [GROUP, ...mine.map(roomConv)];
    const summaries = await this.reads.summaries(
      user.id,
      convs.map((c) => ({ key: c.key, startAtNewest: true })),
    );
    const levels = await this.push.levels(
      user.id,
      convs.map((c) => c.key),
    );
    const rooms: RoomState[] = convs.map((c, i) => ({
      ...(c.kind === "room" ? toRoom(c.room) : groupRoom(online)),
      ...summaries[i],
      level: levels[i] ?? defaultLevel(c),
    }));
    return { rooms, directs: await this.directs(user) };
  }

  private async directs(user: User): Promise<DirectState[]> {
    const live: { peer: User; conversation: string; last: DirectState["last"] }[] = [];
    for (const d of await this.reads.directs(user.id)) {
      const seen = d.last.from.id === d.peerId ? d.last.from : d.last.to;
      if (!seen) continue;
      const holder = await this.sessions.holderOf(nicknameKey(seen.name));
      if (holder?.id === d.peerId)
        live.push({ peer: holder, conversation: d.conversation, last: d.last });
    }
    const summaries = await this.reads.summaries(
      user.id,
      live.map((d) => ({ key: d.conversation, startAtNewest: false })),
    );
    const levels = await this.push.levels(
      user.id,
      live.map((d) => d.conversation),
    );
    return live.map((d, i) => ({
      user: { id: d.peer.id, name: d.peer.name, avatar: d.peer.avatar },
      unread: summaries[i].unread,
      lastRead: summaries[i].lastRead,
      last: d.last,
      // An addition to the contract: the browser shows it in the conversation's menu.
      level: levels[i] ?? "all",
    }));
  }
}
