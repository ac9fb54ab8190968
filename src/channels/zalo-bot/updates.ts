/**
 * zod shape of a Zalo Bot Platform update (platforms.md; official docs copy and openclaw's client).
 * Deliveries come bare or wrapped as `{ok, result}`; `message` is optional (message.unsupported.received
 * arrives without one for protected users); an image may be `photo` (docs) or `photo_url` (openclaw)
 * with a `caption`; a polled update may lack `event_name` (the docs' getUpdates sample), so the kind is
 * inferred from the fields.
 */
import { z } from "zod";

const id = z.union([z.string().min(1).max(64), z.number().int()]).transform(String);
const url = z
  .string()
  .max(2048)
  .regex(/^https?:\/\//);

const messageSchema = z.object({
  message_id: id,
  from: z.object({
    id,
    display_name: z.string().max(256).optional(),
    first_name: z.string().max(256).optional(),
    is_bot: z.boolean().optional(),
  }),
  chat: z.object({ id, chat_type: z.string().max(16).optional() }),
  date: z.number().optional(),
  text: z.string().max(8192).optional(),
  photo: z.union([url, z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  photo_url: url.optional(),
  caption: z.string().max(8192).nullish(),
  sticker: z.string().max(256).optional(),
  voice_url: url.optional(),
});

const updateSchema = z.object({
  event_name: z.string().min(1).max(64).optional(),
  message: messageSchema.optional(),
});

/** The kinds of update the channel tells apart. */
export type ZaloBotKind = "text" | "image" | "sticker" | "voice" | "unsupported";

/** A validated update with its kind worked out. */
export interface ZaloBotUpdate {
  eventName: string;
  kind: ZaloBotKind;
  message: z.infer<typeof messageSchema> | undefined;
  /** The image URL, from `photo_url` or `photo`. */
  photo: string | undefined;
}

/** The URL in `photo` when it is a string, or the first URL-ish field of an object or array entry. */
function photoOf(m: z.infer<typeof messageSchema>): string | undefined {
  if (m.photo_url) return m.photo_url;
  const p = m.photo;
  if (typeof p === "string") return p;
  const first = Array.isArray(p) ? p.at(-1) : p;
  if (typeof first === "string") return url.safeParse(first).success ? first : undefined;
  if (first && typeof first === "object") {
    const r = first as Record<string, unknown>;
    for (const k of ["url", "photo_url", "file_url"]) if (url.safeParse(r[k]).success) return r[k] as string;
  }
  return undefined;
}

function kindOf(eventName: string | undefined, m: z.infer<typeof messageSchema> | undefined): ZaloBotKind {
  switch (eventName) {
    case "message.text.received":
      return "text";
    case "message.image.received":
      return "image";
    case "message.sticker.received":
      return "sticker";
    case "message.voice.received":
      return "voice";
    case undefined:
      break;
    default:
      return "unsupported";
  }
  if (!m) return "unsupported";
  if (m.photo !== undefined || m.photo_url) return "image";
  if (m.voice_url) return "voice";
  if (m.sticker) return "sticker";
  return m.text !== undefined ? "text" : "unsupported";
}

/**
 * Unwraps `{ok: true, result: update}` and validates. Undefined when the body is not an object at all;
 * an object without a usable message (e.g. message.unsupported.received) comes back with kind
 * `unsupported` and no message, to be acknowledged and ignored.
 */
export function parseZaloBotUpdate(body: unknown): ZaloBotUpdate | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const inner = "result" in body && (body as { ok?: unknown }).ok === true ? body.result : body;
  const r = updateSchema.safeParse(inner);
  if (!r.success) {
    // An object that is not an update we understand (e.g. the verification request setWebhook sends,
    // body undocumented): acknowledged and ignored, never refused (platforms.md).
    const name = (inner as { event_name?: unknown } | null)?.event_name;
    return {
      eventName: typeof name === "string" ? name.slice(0, 64) : "unknown",
      kind: "unsupported",
      message: undefined,
      photo: undefined,
    };
  }
  const m = r.data.message;
  const kind = kindOf(r.data.event_name, m);
  return {
    eventName: r.data.event_name ?? `inferred.${kind}`,
    kind: m ? kind : "unsupported",
    message: m,
    photo: m ? photoOf(m) : undefined,
  };
}
