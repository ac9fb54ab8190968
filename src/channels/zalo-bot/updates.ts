/** zod shape of a Zalo Bot Platform update; deliveries come bare or wrapped as `{ok, result}`. */
import { z } from "zod";

const id = z.union([z.string().min(1).max(64), z.number().int()]).transform(String);

export const zaloBotUpdateSchema = z.object({
  event_name: z.string().min(1).max(64),
  message: z.object({
    message_id: id,
    from: z.object({ id, display_name: z.string().max(256).optional(), is_bot: z.boolean().optional() }),
    chat: z.object({ id, chat_type: z.string().max(16).optional() }),
    date: z.number().optional(),
    text: z.string().max(8192).optional(),
    photo_url: z.url().max(2048).optional(),
  }),
});
export type ZaloBotUpdate = z.infer<typeof zaloBotUpdateSchema>;

/** Unwraps `{ok: true, result: update}` and validates; undefined when it is not an update. */
export function parseZaloBotUpdate(body: unknown): ZaloBotUpdate | undefined {
  const inner =
    body && typeof body === "object" && "result" in body && (body as { ok?: unknown }).ok === true
      ? body.result
      : body;
  const r = zaloBotUpdateSchema.safeParse(inner);
  return r.success ? r.data : undefined;
}
