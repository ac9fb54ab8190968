/** node-cron only triggers: every few seconds it asks the broadcast service to claim due work. */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import type { BroadcastService } from "./service.js";

export interface BroadcastScheduler {
  start(): void;
  stop(): Promise<void>;
}

/** Creates the trigger, e.g. `createBroadcastScheduler(service, logger).start()`. */
export function createBroadcastScheduler(
  service: BroadcastService,
  logger: Logger,
  everySec = 5,
): BroadcastScheduler {
  let task: ScheduledTask | undefined;
  return {
    start() {
      task = cron.schedule(
        `*/${everySec} * * * * *`,
        () => {
          service.tick().catch((err: unknown) => logger.error({ err }, "broadcast tick failed"));
        },
        { timezone: "Asia/Ho_Chi_Minh", noOverlap: true },
      );
    },
    async stop() {
      await task?.stop();
      await service.stop();
    },
  };
}
