// `@nickname` in a message: the contract's rule is that the content holds "@" and the user's
// nickname (compared like nicknames), not followed by a letter or digit, and that the user
// can read the conversation.
import type { User } from "../../common/events";
import { LIMITS } from "../../common/events";
import { checkNickname, nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import type { ConversationAccess } from "../conversations/access";
import type { Conversation } from "../conversations/conversation";

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** A message naming more people than this is a list, not a set of mentions. */
const MAX_CANDIDATES = 200;

/**
 * The nickname keys that an "@" in `content` could be naming: every run of up to 24 code
 * points after an "@" that ends where no letter or digit follows. Nicknames may contain
 * spaces, so "@bo b hi" yields "bo", "bo b" and "bo b hi".
 */
export function mentionCandidates(content: string): string[] {
  if (!content.includes("@")) return [];
  const chars = [...nicknameKey(content)];
  const keys = new Set<string>();
  for (let at = 0; at < chars.length && keys.size < MAX_CANDIDATES; at++) {
    if (chars[at] !== "@") continue;
    for (let end = at + 2; end <= Math.min(chars.length, at + 1 + LIMITS.nameMax); end++) {
      if (end < chars.length && WORD_CHAR.test(chars[end])) continue;
      const name = checkNickname(chars.slice(at + 1, end).join(""));
      if (name.ok && name.name === chars.slice(at + 1, end).join("")) keys.add(name.key);
    }
  }
  return [...keys];
}

/** The users `content` mentions, given who holds a nickname key and who may read. */
export async function findMentions(
  content: string,
  holderOf: (key: string) => Promise<User | null>,
  mayRead: (user: User) => Promise<boolean>,
): Promise<User[]> {
  const found: User[] = [];
  for (const key of mentionCandidates(content)) {
    const user = await holderOf(key);
    if (user && !found.some((u) => u.id === user.id) && (await mayRead(user))) {
      found.push({ id: user.id, name: user.name, avatar: user.avatar });
    }
  }
  return found;
}

/** Whom `content` mentions in `conv`: holders of the nicknames who may read it. */
export function mentionsIn(
  content: string,
  conv: Conversation,
  sessions: Pick<SessionService, "holderOf">,
  access: Pick<ConversationAccess, "mayRead">,
): Promise<User[]> {
  return findMentions(
    content,
    (key) => sessions.holderOf(key),
    (user) => access.mayRead(user.id, conv),
  );
}
