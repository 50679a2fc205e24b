// The wire contract (../shared/PROTOCOL.md), shared by the server and the browser bundle.

/** `avatar` is a built-in avatar's id, or `custom:<id>` for an uploaded picture (v3). */
export type User = { id: string; name: string; avatar: string; admin?: true; bot?: true };

/** The group room's id, in `Message.room`, `room:*` payloads and the `rooms` snapshot. */
export const GROUP_ROOM_ID = "group";

export type Message = {
  id: string;
  from: User;
  content: string;
  ts: number;
  to?: User;
  /** The room's id; "group" for the group room; absent for private messages. */
  room?: string;
  /** The message this one answers, as it is now (content cut to 200 code points). */
  replyTo?: { id: string; from: User; content: string };
  mentions?: User[];
  /** Files sent with the message, in the order they were attached. */
  attachments?: Attachment[];
  /** In order of first use. */
  reactions?: Reaction[];
  editedAt?: number;
  /** Then content is "", and there are no attachments or reactions. */
  deleted?: true;
};
export type Reaction = { emoji: string; users: User[] };

/** A file as uploaded (`POST /api/uploads`) and as sent with a message. */
export type Attachment = {
  id: string;
  /** As the user named it, without any path or control characters. */
  name: string;
  /** Found from the file's bytes. */
  type: string;
  size: number;
  url: string;
  /** Images (JPEG, PNG, GIF, WebP) only. */
  width?: number;
  height?: number;
  thumbUrl?: string;
};

export type RoomKind = "open" | "closed";
export type Room = {
  id: string;
  name: string;
  kind: RoomKind;
  topic: string;
  /** null for the group room */
  createdBy: User | null;
  members: number;
};

export type NotifyLevel = "all" | "mentions" | "none";
/** A room in the `rooms` snapshot, with the user's read state. */
export type RoomState = Room & {
  unread: number;
  mentions: number;
  lastRead: string;
  level: NotifyLevel;
};
export type DirectState = {
  user: User;
  unread: number;
  lastRead: string;
  last: Message;
  /** Push level (an addition to the contract's `directs`). */
  level: NotifyLevel;
};
export type RoomsPayload = { rooms: RoomState[]; directs: DirectState[] };

export type AckError = { code: ErrorCode; message: string };
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

export const ErrorCodes = {
  invalid: "invalid",
  unknownRecipient: "unknown_recipient",
  rateLimited: "rate_limited",
  internal: "internal",
  notFound: "not_found",
  forbidden: "forbidden",
  unauthorized: "unauthorized",
  forbiddenOrigin: "forbidden_origin",
  invalidName: "invalid_name",
  invalidAvatar: "invalid_avatar",
  nameTaken: "name_taken",
  badRequest: "bad_request",
  invalidCode: "invalid_code",
  banned: "banned",
  linkExpired: "link_expired",
  tooManyConnections: "too_many_connections",
  tooLarge: "too_large",
  badCredentials: "bad_credentials",
  weakPassword: "weak_password",
  lastCredential: "last_credential",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export type TextMsgPayload = {
  content: string;
  to?: string;
  room?: string;
  cid?: string;
  replyTo?: string;
  /** Upload ids (at most 10), sent once, by their uploader. */
  attachments?: string[];
};
export type EditPayload = { id: string; content: string };
export type MessageRef = { id: string };
export type ReactPayload = { id: string; emoji: string };
export type SearchPayload = {
  q: string;
  with?: string;
  room?: string;
  limit?: number;
  before?: string;
};
export type HistoryPayload = {
  with?: string;
  room?: string;
  before?: string;
  after?: string;
  limit?: number;
};
export type TypingPayload = { to?: string; room?: string };
export type ReadPayload = { room?: string; with?: string; id: string };
export type NotifyPayload = { room?: string; with?: string; level: NotifyLevel };
/** The decrypted Web Push payload. */
export type PushPayload = {
  title: string;
  body: string;
  url: string;
  tag: string;
  /** (v3) Same-origin path of the notification's picture: the sender's uploaded one, else the app icon. */
  icon?: string;
};

export type RoomCreatePayload = {
  name: string;
  kind: RoomKind;
  topic?: string;
  members?: string[];
};
export type RoomRef = { room: string };
export type RoomAddPayload = { room: string; name: string };
export type RoomUpdatePayload = { room: string; name?: string; topic?: string };
export type ModerateAction = "kick" | "ban" | "unban";
export type ModeratePayload = { action: ModerateAction; name: string; minutes?: number };

export type OnlinePayload = { count: number; users: User[] };
export type PresencePayload = { count: number; joined: User[]; left: User[] };
export type TypingEvent = { from: User; to?: User; room?: string };
export type ReadEvent = { room?: string; with?: User; id: string };

type AckFn<T extends object = object> = (result: Ack<T>) => void;

export interface ServerToClientEvents {
  textmsg: (message: Message) => void;
  online: (payload: OnlinePayload) => void;
  presence: (payload: PresencePayload) => void;
  typing: (payload: TypingEvent) => void;
  rooms: (payload: RoomsPayload) => void;
  /** `joined`: the receiving user was just made a member (an addition to the contract). */
  room: (payload: { room: Room; joined?: true }) => void;
  "room:removed": (payload: RoomRef) => void;
  read: (payload: ReadEvent) => void;
  "message:update": (message: Message) => void;
  /** (v3) A user changed its picture: every socket hears it. */
  user: (payload: { user: User }) => void;
}

export interface ClientToServerEvents {
  textmsg: (payload: TextMsgPayload, ack: AckFn<{ message: Message }>) => void;
  history: (payload: HistoryPayload, ack: AckFn<{ messages: Message[] }>) => void;
  typing: (payload: TypingPayload) => void;
  read: (payload: ReadPayload, ack: AckFn) => void;
  "room:create": (payload: RoomCreatePayload, ack: AckFn<{ room: Room }>) => void;
  "room:list": (payload: object, ack: AckFn<{ rooms: Room[] }>) => void;
  "room:join": (payload: RoomRef, ack: AckFn<{ room: Room }>) => void;
  "room:leave": (payload: RoomRef, ack: AckFn) => void;
  "room:add": (payload: RoomAddPayload, ack: AckFn<{ room: Room }>) => void;
  "room:update": (payload: RoomUpdatePayload, ack: AckFn<{ room: Room }>) => void;
  "room:delete": (payload: RoomRef, ack: AckFn) => void;
  /** An extension (docs/protocol.md): the room's members by nickname; for `group`, who is online. */
  "room:members": (payload: RoomRef, ack: AckFn<{ members: User[] }>) => void;
  "message:edit": (payload: EditPayload, ack: AckFn<{ message: Message }>) => void;
  "message:delete": (payload: MessageRef, ack: AckFn<{ message: Message }>) => void;
  "message:react": (payload: ReactPayload, ack: AckFn<{ message: Message }>) => void;
  search: (payload: SearchPayload, ack: AckFn<{ messages: Message[] }>) => void;
  moderate: (payload: ModeratePayload, ack: (result: Ack) => void) => void;
  notify: (payload: NotifyPayload, ack: AckFn) => void;
}

// Limits the contract fixes; the server enforces them, the browser mirrors them.
export const LIMITS = {
  nameMax: 24,
  contentMax: 2000,
  cidMax: 64,
  historyDefault: 50,
  historyMax: 100,
  maxPayloadBytes: 16 * 1024,
  roomNameMax: 40,
  topicMax: 200,
  /** Room changes (create, join, leave, add, update, delete) per user per minute. */
  roomOpsPerMinute: 20,
  /** Different emoji on one message. */
  reactionsMax: 20,
  reactionsPerWindow: 60,
  reactionsWindowMs: 10_000,
  /** `replyTo.content` is cut to this many code points. */
  replySnippet: 200,
  searchQueryMax: 100,
  searchDefault: 20,
  searchMax: 50,
  socketsPerUser: 20,
  banMinutesDefault: 1440,
  /** Files on one message. */
  attachmentsMax: 10,
  /** A thumbnail's longer side, in pixels. */
  thumbMax: 400,
  /** A file name, in code points. */
  fileNameMax: 200,
  /** (v3) An uploaded profile picture: bytes accepted, and the served square's side in px. */
  avatarMaxBytes: 5 * 1024 * 1024,
  avatarSide: 256,
} as const;
