/**
 * The unit's own office: hotlines, address and opening hours. Owns payload `m:hot` and the commands
 * /hotline and /duongdaynong.
 */
import { hotlineLine } from "./cards.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import type { Button, Reply } from "./types.js";

/** Creates the office feature. */
export function createOfficeFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  function hotlines(turn: Turn): Reply[] {
    const L = turn.lang;
    const view = ports.content.view();
    const unitId = turn.session.unit;
    const unit = view.units.find((u) => u.id === unitId);
    const own = view.hotlines.filter((h) => h.unit !== undefined && h.unit === unitId);
    const shared = view.hotlines.filter((h) => h.unit === undefined);
    const lines = [
      t(L, "hotlines.title", {
        unit: unit ? (L === "en" && unit.name_en ? unit.name_en : unit.name) : t(L, "hotlines.province"),
      }),
    ];
    const all = [...own, ...shared];
    for (const h of all) lines.push(hotlineLine(h, L, t));
    if (unit?.address) lines.push("", `📍 ${unit.address}`);
    if (unit?.phone) lines.push(`☎️ ${unit.phone}`);
    if (unit?.office_hours) lines.push(`🕒 ${unit.office_hours}`);
    if (all.some((h) => h.sample)) lines.push("", t(L, "hotlines.sampleNote"));
    const callable: Button[] = all
      .filter((h) => !h.sample)
      .map((h) => ({
        kind: "phone",
        label: `${L === "en" && h.label_en ? h.label_en : h.label}`,
        phone: h.phone,
      }));
    const rows: Button[][] = callable.map((b) => [b]);
    if (!unitId && kit.selectableUnits().length > 1) rows.push([action(t(L, "menu.changeUnit"), "m:unit")]);
    rows.push([action(t(L, "menu.back"), "menu")]);
    return [{ text: lines.join("\n"), buttons: rows, meta: { kind: "hotlines" } }];
  }

  return {
    name: "office",
    payloads: { "m:hot": hotlines },
    commands: { hotline: hotlines, duongdaynong: hotlines },
  };
}
