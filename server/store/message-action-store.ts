import type { Message, Reaction, User } from "../../common/events";
import { LIMITS } from "../../common/events";

/** A message as it is now, with the key of the conversation it was sent to. */
export type StoredMessage = { message: Message; conversation: string };

/**
 * What can happen to a message after it was sent: an edit, a delete that erases it, reactions.
 * Implementations: SQLite and PostgreSQL (on the messages store's database).
 */
export interface MessageActionStore {
  get(id: string): Promise<StoredMessage | null>;
  /** Replaces the text and whom it mentions; null when there is no such message. */
  edit(id: string, content: string, mentions: User[], editedAt: number): Promise<Message | null>;
  /**
   * Erases the text, reactions and mentions (and, with files, its files): only id, author and
   * time remain, and no copy of the text is kept anywhere in the store.
   */
  erase(id: string): Promise<Message | null>;
  /** Adds `user`'s reaction, or removes it if present; "too_many" past 20 different emoji. */
  react(id: string, user: User, emoji: string): Promise<Message | "too_many" | null>;
}

/** The reactions after `user` toggled `emoji`, in order of first use; empty ones go. */
export function toggleReaction(
  reactions: Reaction[],
  user: User,
  emoji: string,
): Reaction[] | "too_many" {
  const me: User = { id: user.id, name: user.name, avatar: user.avatar };
  const existing = reactions.find((r) => r.emoji === emoji);
  if (!existing) {
    if (reactions.length >= LIMITS.reactionsMax) return "too_many";
    return [...reactions, { emoji, users: [me] }];
  }
  const had = existing.users.some((u) => u.id === user.id);
  return reactions
    .map((r) =>
      r.emoji !== emoji
        ? r
        : { emoji, users: had ? r.users.filter((u) => u.id !== user.id) : [...r.users, me] },
    )
    .filter((r) => r.users.length > 0);
}
