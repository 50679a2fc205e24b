import { z } from "zod";

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/);

/** What `PushSubscription.toJSON()` gives; `expirationTime` and other fields are ignored. */
export const SubscriptionSchema = z.object({
  endpoint: z.string().min(1).max(2048),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes) and a 16-byte auth secret, base64url.
    p256dh: base64url(86, 90),
    auth: base64url(16, 26),
  }),
});

export const UnsubscribeSchema = z.object({ endpoint: z.string().min(1).max(2048) });

export const NotifySchema = z
  .object({
    room: z.string().min(1).max(64).optional(),
    with: z.string().min(1).max(64).optional(),
    level: z.enum(["all", "mentions", "none"]),
  })
  .strict();

export type NotifyInput = z.infer<typeof NotifySchema>;
