/** The daily content link check: node-cron only triggers; the work is {@link LinkChecker.run}. */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { LinkChecker } from "./links.js";
import type { ContentBundle } from "./schemas.js";

/** Schedules the link check (`expression` in Viet Nam time, e.g. "30 3 * * *"); returns a stopper. */
export function scheduleLinkCheck(
  checker: LinkChecker,
  bundle: () => ContentBundle,
  expression: string,
  logger: Logger,
): () => Promise<void> {
  const task: ScheduledTask = cron.schedule(
    expression,
    async () => {
      await checker.run(bundle()).catch((err: unknown) => logger.error({ err }, "link check failed"));
    },
    { timezone: "Asia/Ho_Chi_Minh", noOverlap: true },
  );
  return async () => {
    await task.stop();
  };
}
