/** zod shapes of Zalo OA webhook events (Open API v3). IDs exceed 2^53: strings only. */
import { z } from "zod";

const zid = z.string().regex(/^\d{1,32}$/, "a numeric id as a string");

/** Fields every event carries; the signature covers `app_id` and `timestamp`. */
export const baseEventSchema = z.object({
  app_id: z.string().min(1).max(64),
  event_name: z.string().min(1).max(64),
  timestamp: z.union([z.string().regex(/^\d{10,16}$/), z.number().int()]).transform(String),
});

export const textEventSchema = baseEventSchema.extend({
  event_name: z.literal("user_send_text"),
  sender: z.object({ id: zid }),
  message: z.object({ msg_id: z.string().min(1).max(128), text: z.string().max(8192) }),
});

export const mediaEventSchema = baseEventSchema.extend({
  event_name: z.enum([
    "user_send_image",
    "user_send_file",
    "user_send_sticker",
    "user_send_gif",
    "user_send_audio",
    "user_send_video",
    "user_send_location",
    "user_send_link",
  ]),
  sender: z.object({ id: zid }),
  message: z.object({ msg_id: z.string().min(1).max(128) }).loose(),
});

export const followEventSchema = baseEventSchema.extend({
  event_name: z.enum(["follow", "unfollow"]),
  follower: z.object({ id: zid }),
});

const infoText = z.string().max(500).optional();
/**
 * The answer to a request_user_info card: `info:{name, phone, …}` (newer form with `user_dob`,
 * `gender`, `full_address`; older with `address`, `city`, `district`, `ward`). Only name and phone are
 * read; the rest is never stored.
 */
export const submitInfoEventSchema = baseEventSchema.extend({
  event_name: z.literal("user_submit_info"),
  sender: z.object({ id: zid }),
  info: z
    .object({
      name: infoText,
      phone: z
        .union([z.string().max(30), z.number()])
        .transform(String)
        .optional(),
    })
    .optional(),
});

export const oaEventSchema = z.union([
  textEventSchema,
  mediaEventSchema,
  followEventSchema,
  submitInfoEventSchema,
]);
export type OaEvent = z.infer<typeof oaEventSchema>;

/** The idempotency key of an event: its message id, or what identifies a follow/unfollow. */
export function eventKey(e: OaEvent): string {
  if ("message" in e) return `zalo-oa:msg:${e.message.msg_id}`;
  if ("follower" in e) return `zalo-oa:${e.event_name}:${e.follower.id}:${e.timestamp}`;
  return `zalo-oa:${e.event_name}:${e.sender.id}:${e.timestamp}`;
}
