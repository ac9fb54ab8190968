/** The baseline for bench:inbound: the minimal telegraf webhook bot a developer would write (echo). */
import express from "express";
import { Telegraf } from "telegraf";

const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN!, {
  telegram: { apiRoot: process.env.TELEGRAM_API_ROOT!, webhookReply: false },
});
bot.botInfo = {
  id: 1,
  is_bot: true,
  first_name: "echo",
  username: "echo_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
bot.on("message", async (ctx) => {
  await ctx.reply("text" in ctx.message ? ctx.message.text : "?");
});
bot.on("callback_query", async (ctx) => {
  await ctx.answerCbQuery();
  await ctx.reply("ok");
});
const app = express();
app.use(
  await bot
    .createWebhook({ domain: "bench.invalid", path: "/webhooks/telegram", secret_token: process.env.SECRET! })
    .catch(() => bot.webhookCallback("/webhooks/telegram", { secretToken: process.env.SECRET! })),
);
const server = app.listen(0, "127.0.0.1", () => {
  const addr = server.address() as { port: number };
  process.stdout.write(`echo: http://127.0.0.1:${addr.port}\n`);
});
