/** Every minute: idle conversations go back to the bot, waits past the limit expire (node-cron). */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { HandoffService } from "./service.js";

/** Schedules the sweep; returns a stopper. */
export function scheduleHandoffJobs(handoff: HandoffService, logger: Logger): () => Promise<void> {
  const task: ScheduledTask = cron.schedule(
    "* * * * *",
    async () => {
      const r = await handoff.sweep().catch((err: unknown) => {
        logger.error({ err }, "handoff sweep failed");
        return { idle: 0, expired: 0 };
      });
      if (r.idle || r.expired) logger.info(r, "handoffs closed by the sweep");
    },
    { timezone: "Asia/Ho_Chi_Minh", noOverlap: true },
  );
  return async () => {
    await task.stop();
  };
}
