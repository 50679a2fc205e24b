// The wire contract (../shared/PROTOCOL.md), shared by the server and the browser bundle.

export type User = { id: string; name: string; avatar: string; admin?: true };

export type Message = { id: string; from: User; content: string; ts: number; to?: User };

export type AckError = { code: ErrorCode; message: string };
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

export const ErrorCodes = {
  invalid: "invalid",
  unknownRecipient: "unknown_recipient",
  rateLimited: "rate_limited",
  internal: "internal",
  unauthorized: "unauthorized",
  forbiddenOrigin: "forbidden_origin",
  invalidName: "invalid_name",
  invalidAvatar: "invalid_avatar",
  nameTaken: "name_taken",
  badRequest: "bad_request",
  invalidCode: "invalid_code",
  banned: "banned",
  linkExpired: "link_expired",
  forbidden: "forbidden",
  tooManyConnections: "too_many_connections",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export type TextMsgPayload = { content: string; to?: string; cid?: string };
export type HistoryPayload = { with?: string; before?: string; after?: string; limit?: number };
export type TypingPayload = { to?: string };
export type ModerateAction = "kick" | "ban" | "unban";
export type ModeratePayload = { action: ModerateAction; name: string; minutes?: number };

export type OnlinePayload = { count: number; users: User[] };
export type PresencePayload = { count: number; joined: User[]; left: User[] };
export type TypingEvent = { from: User; to?: User };

export interface ServerToClientEvents {
  textmsg: (message: Message) => void;
  online: (payload: OnlinePayload) => void;
  presence: (payload: PresencePayload) => void;
  typing: (payload: TypingEvent) => void;
}

export interface ClientToServerEvents {
  textmsg: (payload: TextMsgPayload, ack: (result: Ack<{ message: Message }>) => void) => void;
  history: (payload: HistoryPayload, ack: (result: Ack<{ messages: Message[] }>) => void) => void;
  typing: (payload: TypingPayload) => void;
  moderate: (payload: ModeratePayload, ack: (result: Ack) => void) => void;
}

// Limits the contract fixes; the server enforces them, the browser mirrors them.
export const LIMITS = {
  nameMax: 24,
  contentMax: 2000,
  cidMax: 64,
  historyDefault: 50,
  historyMax: 100,
  maxPayloadBytes: 16 * 1024,
  socketsPerUser: 20,
  banMinutesDefault: 1440,
} as const;
