/**
 * Who is on duty is shared through the store (issue 17 point 7): a staff member seen by one process
 * makes the unit staffed for another process of the same deployment, and for a process started
 * after it; nobody seen for ON_DUTY_MINUTES means nobody on duty, in every process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandoffService, ON_DUTY_MINUTES } from "../../src/handoff/service.js";
import { createTranslator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import type { UnitInfo } from "../../src/core/ports.js";
import { openTestStore, type TestStore } from "../helpers/store.js";

/** A unit open every day, all day, so only presence decides. */
const UNIT: UnitInfo = {
  id: "phuong-thu",
  name: "Phường Thử",
} as UnitInfo;

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});

function service(clock: { at: number }) {
  return createHandoffService({
    connection: store.connection,
    senders: {},
    t: createTranslator("locales"),
    logger: createLogger({ level: "silent" }),
    groups: {},
    consoleUnits: "all",
    idleMinutes: 30,
    waitMaxMinutes: 60,
    showStaffNames: false,
    units: () => [UNIT],
    now: () => new Date(clock.at),
  });
}

describe("staff presence across processes", () => {
  it("should tell another process, and a later one, that a unit is staffed", async () => {
    const clock = { at: Date.parse("2026-11-23T02:00:00Z") };
    const a = service(clock);
    const b = service(clock);
    await b.refreshPresence();
    expect(b.availability(UNIT.id, new Date(clock.at)).staffed).toBe(false);

    a.staffSeen(UNIT.id);
    expect(a.availability(UNIT.id, new Date(clock.at)).staffed).toBe(true);
    // The write is not awaited by staffSeen; wait until the store has it.
    for (let i = 0; i < 100; i++) {
      await b.refreshPresence();
      if (b.availability(UNIT.id, new Date(clock.at)).staffed) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(b.availability(UNIT.id, new Date(clock.at)).staffed).toBe(true);

    const restarted = service(clock);
    await restarted.refreshPresence();
    expect(restarted.availability(UNIT.id, new Date(clock.at)).staffed).toBe(true);

    clock.at += (ON_DUTY_MINUTES + 1) * 60_000;
    await restarted.refreshPresence();
    expect(restarted.availability(UNIT.id, new Date(clock.at)).staffed).toBe(false);
    expect(a.availability(UNIT.id, new Date(clock.at)).staffed).toBe(false);
  });
});
