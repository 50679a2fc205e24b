// Leaving and deleting the room on screen, each after an in-page confirmation (never
// window.confirm). The room goes from the list at once; the server's room:removed follows.
import type { Room } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import { t } from "./i18n";
import type { ConfirmDialog } from "./room-dialogs";

export class RoomActions {
  constructor(
    private readonly socket: ChatSocket,
    private readonly confirm: ConfirmDialog,
    private readonly dropped: (roomId: string) => void,
  ) {}

  async leave(room: Room): Promise<void> {
    const text = room.kind === "open" ? t.confirmLeaveOpen(room.name) : t.confirmLeave(room.name);
    if (!(await this.confirm.ask(text, t.leaveRoom))) return;
    const ack = await request(this.socket, "room:leave", { room: room.id });
    if (ack.ok || ack.error.code === "not_found") this.dropped(room.id);
  }

  async remove(room: Room): Promise<void> {
    if (!(await this.confirm.ask(t.confirmDelete(room.name), t.deleteRoom))) return;
    const ack = await request(this.socket, "room:delete", { room: room.id });
    if (ack.ok || ack.error.code === "not_found") this.dropped(room.id);
  }
}
