import { z } from "zod";
import { checkRoomName, checkTopic } from "../../common/names";
import { nickname, roomId } from "../chat/schemas";

const roomName = z.unknown().transform((raw, ctx) => {
  const checked = checkRoomName(raw);
  if (!checked.ok) {
    ctx.addIssue({ code: "custom", message: "bad room name" });
    return z.NEVER;
  }
  return checked;
});

const topic = z.unknown().transform((raw, ctx) => {
  const checked = checkTopic(raw);
  if (checked === null) {
    ctx.addIssue({ code: "custom", message: "bad topic" });
    return z.NEVER;
  }
  return checked;
});

export const RoomCreateSchema = z.object({
  name: roomName,
  kind: z.enum(["open", "closed"]),
  topic: topic.optional(),
  members: z.array(nickname).max(100).optional(),
});

export const RoomRefSchema = z.object({ room: roomId });
export const RoomAddSchema = z.object({ room: roomId, name: nickname });
export const RoomUpdateSchema = z
  .object({ room: roomId, name: roomName.optional(), topic: topic.optional() })
  .refine((p) => p.name !== undefined || p.topic !== undefined);
