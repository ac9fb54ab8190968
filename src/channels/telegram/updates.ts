/** zod shapes of the Telegram updates motcua handles; anything else is ignored or rejected. */
import { z } from "zod";

const chat = z.object({ id: z.number().int(), type: z.string().max(32) });
const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  language_code: z.string().max(35).optional(),
});

/** The fields of an update we read; other fields pass through untouched. */
export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z
    .object({
      message_id: z.number().int(),
      chat,
      from: user.optional(),
      text: z.string().max(8192).optional(),
      caption: z.string().max(4096).optional(),
      reply_to_message: z.object({ message_id: z.number().int() }).optional(),
      photo: z
        .array(z.object({ file_id: z.string().max(256) }))
        .max(20)
        .optional(),
      date: z.number().int().optional(),
    })
    .optional(),
  callback_query: z
    .object({
      id: z.string().max(128),
      from: user,
      data: z.string().max(256).optional(),
      message: z.object({ message_id: z.number().int().optional(), chat }).optional(),
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof updateSchema>;
