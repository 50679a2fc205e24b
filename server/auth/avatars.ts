export type Avatar = { id: string; url: string; label: { en: string; zh: string } };

const AVATAR_LABELS: readonly (readonly [id: string, en: string, zh: string])[] = [
  ["fox", "Fox", "狐狸"],
  ["owl", "Owl", "猫头鹰"],
  ["cat", "Cat", "猫"],
  ["bear", "Bear", "熊"],
  ["panda", "Panda", "熊猫"],
  ["frog", "Frog", "青蛙"],
  ["penguin", "Penguin", "企鹅"],
  ["robot", "Robot", "机器人"],
  ["koala", "Koala", "考拉"],
  ["lion", "Lion", "狮子"],
  ["rabbit", "Rabbit", "兔子"],
  ["whale", "Whale", "鲸鱼"],
];

export const AVATARS: readonly Avatar[] = Object.freeze(
  AVATAR_LABELS.map(([id, en, zh]) =>
    Object.freeze({ id, url: `/avatars/${id}.svg`, label: Object.freeze({ en, zh }) }),
  ),
);

const AVATAR_IDS: ReadonlySet<string> = new Set(AVATARS.map((avatar) => avatar.id));

/** A built-in avatar id (uploaded pictures are `custom:<id>`, never one of these). */
export function isAvatarId(id: unknown): id is string {
  return typeof id === "string" && AVATAR_IDS.has(id);
}

/** `User.avatar` of an uploaded picture (v3): `custom:<id>`. */
export const CUSTOM_AVATAR_PREFIX = "custom:";

/** Where an uploaded picture is served, or null for a built-in avatar. */
export function customAvatarUrl(avatar: string): string | null {
  if (!avatar.startsWith(CUSTOM_AVATAR_PREFIX)) return null;
  return `/avatars/custom/${encodeURIComponent(avatar.slice(CUSTOM_AVATAR_PREFIX.length))}.webp`;
}
