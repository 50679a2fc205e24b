import { z } from "zod";
import { ErrorCodes, LIMITS } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import { skeletonKey } from "../auth/skeleton";
import { AckError } from "../socket/ack";
import type { ChatSocket } from "../socket/types";
import type { BanStore } from "../store/session-types";

export const ModerateSchema = z.object({
  action: z.enum(["kick", "ban", "unban"]),
  name: z.string().min(1).max(200),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(366 * 24 * 60)
    .optional(),
});

export type ModerationDeps = {
  sessions: SessionService;
  bans: BanStore;
  now?: () => number;
};

/**
 * `moderate`, for admins: kick ends every session of a nickname's holder (its sockets are
 * disconnected on every node by the "ended" listener in app.ts); ban also refuses, for
 * `minutes`, the nickname (by confusable skeleton) and the addresses its sessions logged in
 * from; unban lifts a ban by nickname.
 */
export function moderationHandlers(deps: ModerationDeps) {
  const now = deps.now ?? Date.now;

  async function moderate(socket: ChatSocket, payload: unknown): Promise<object> {
    const parsed = ModerateSchema.safeParse(payload);
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    if (socket.data.user.admin !== true) throw new AckError(ErrorCodes.forbidden);
    const { action, name, minutes } = parsed.data;
    const skeleton = skeletonKey(name);
    if (action === "unban") {
      await deps.bans.unban(skeleton);
      return {};
    }
    const holder = await deps.sessions.holderOf(nicknameKey(name));
    if (holder?.id === socket.data.user.id) throw new AckError(ErrorCodes.invalid);
    if (action === "kick") {
      if (!holder) throw new AckError(ErrorCodes.unknownRecipient);
    } else {
      const ips = holder ? await deps.sessions.sessionIps(holder.id) : [];
      const until = now() + (minutes ?? LIMITS.banMinutesDefault) * 60_000;
      await deps.bans.ban(skeleton, ips, until);
    }
    if (holder) await deps.sessions.logout(holder.id);
    return {};
  }

  return { moderate };
}
