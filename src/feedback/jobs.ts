/** Daily housekeeping for feedback: contact details past their retention are removed (node-cron triggers). */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { FeedbackService } from "./service.js";

/** Schedules the daily purge at 03:00 Viet Nam time; returns a stopper. */
export function scheduleFeedbackJobs(feedback: FeedbackService, logger: Logger): () => Promise<void> {
  const task: ScheduledTask = cron.schedule(
    "0 3 * * *",
    async () => {
      const n = await feedback.purgeContacts().catch((err: unknown) => {
        logger.error({ err }, "contact purge failed");
        return 0;
      });
      if (n) logger.info({ tickets: n }, "contact details past retention removed");
    },
    { timezone: "Asia/Ho_Chi_Minh" },
  );
  return async () => {
    await task.stop();
  };
}
