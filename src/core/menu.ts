/**
 * The main menu, /start and choosing the unit (the language is language.ts). Owns payloads `menu`,
 * `m:unit`, `u:*` and the session's `unit`.
 */
import { SUBSCRIPTION_CONSENT_VERSION } from "./subscriptions.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { isGreeting } from "./intents.js";
import type { EnginePorts, UnitInfo } from "./ports.js";
import type { Button, Reply } from "./types.js";

/** The main menu of a chat, e.g. `mainMenu(turn, "Welcome")`. */
export function createMainMenu(
  ports: EnginePorts,
  offered: (turn: Turn) => boolean,
  selectable: () => UnitInfo[],
): (turn: Turn, lead?: string) => Reply {
  const { t } = ports;
  return (turn, lead) => {
    const L = turn.lang;
    const unit = turn.session.unit
      ? ports.content.view().units.find((u) => u.id === turn.session.unit)
      : undefined;
    const unitLine = unit
      ? `\n${t(L, "menu.unit", { unit: L === "en" && unit.name_en ? unit.name_en : unit.name })}`
      : "";
    const rows: Button[][] = [
      [action(t(L, "menu.procedures"), "m:proc"), action(t(L, "menu.guides"), "m:guide")],
      [action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.surveys"), "m:survey")],
      [action(t(L, "menu.subscribe"), "m:sub"), action(t(L, "menu.language"), "m:lang")],
    ];
    // Feedback appears only when the feedback module is wired in.
    if (ports.feedback)
      rows.splice(2, 0, [action(t(L, "menu.feedback"), "m:fb"), action(t(L, "menu.lookup"), "m:tk")]);
    if (offered(turn)) rows.splice(2, 0, [action(t(L, "menu.human"), "h:req")]);
    if (selectable().length > 1)
      rows.push([action(t(L, "menu.changeUnit"), "m:unit"), action(t(L, "menu.privacy"), "m:privacy")]);
    else rows.push([action(t(L, "menu.privacy"), "m:privacy")]);
    return {
      text: `${lead ? `${lead}\n\n` : ""}${t(L, "menu.title")}${unitLine}`,
      buttons: rows,
      meta: { kind: "menu" },
    };
  };
}

/** Creates the menu feature. */
export function createMenuFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  function unitChoice(turn: Turn, lead?: string): Reply {
    const L = turn.lang;
    return {
      text: `${lead ? `${lead}\n\n` : ""}${t(L, "unit.choose")}`,
      buttons: kit
        .selectableUnits()
        .map((u) => [action(L === "en" && u.name_en ? u.name_en : u.name, `u:${u.id}`)]),
      meta: { kind: "menu" },
    };
  }

  function start(turn: Turn): Reply[] {
    const welcome = t(turn.lang, "welcome");
    const units = kit.selectableUnits();
    if (!turn.session.unit && units.length > 1) return [unitChoice(turn, welcome)];
    if (!turn.session.unit) turn.session.unit = units[0]?.id;
    return [kit.menu(turn, welcome)];
  }

  async function setUnit(turn: Turn, unitId: string): Promise<Reply[]> {
    const unit = kit.selectableUnits().find((u) => u.id === unitId);
    if (!unit) return kit.stale(turn);
    turn.session.unit = unit.id;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (sub)
      await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
        ...sub,
        unit: unit.id,
        consentVersion: SUBSCRIPTION_CONSENT_VERSION,
      });
    const name = turn.lang === "en" && unit.name_en ? unit.name_en : unit.name;
    return [kit.menu(turn, t(turn.lang, "unit.chosen", { unit: name }))];
  }

  return {
    name: "menu",
    payloads: {
      menu: (turn) => [kit.menu(turn)],
      "m:unit": (turn) => [unitChoice(turn)],
      u: (turn, [id = ""]) => setUnit(turn, id),
    },
    commands: {
      start,
      menu: (turn) => [kit.menu(turn)],
      help: (turn) => [kit.menu(turn)],
    },
    text(turn, _text, folded) {
      if (
        /^((quay )?(ve|lai|tro ve) )?(menu|trang chu|menu chinh|main menu|back to menu)( chinh)?$/.test(
          folded,
        )
      )
        return [kit.menu(turn)];
      // A greeting is small talk answered with the menu ("chào cháu" → hello and what I can do).
      if (isGreeting(folded) && !/\b(menu|start|bat dau)\b/.test(folded))
        return start(turn).map((r) => ({ ...r, meta: { kind: "small_talk" } }));
      // "Help", "what can you do?": the menu is what the bot can do.
      if (
        /^(help|help me|please help|what can you do|what do you do|how does (this|it) work|how to use( this| the)?( bot)?|options|start over)$/.test(
          folded,
        )
      )
        return [kit.menu(turn)];
      if (isGreeting(folded)) return start(turn);
      return undefined;
    },
  };
}
