/**
 * The citizen's side of "talk to a person": asking, the queue with place and expected wait, the quiet
 * relay while staff handle the chat, and leaving. The queue itself lives behind the HandoffPort.
 */
import { formatLocal } from "./hours.js";
import { foldText, isCancel } from "./intents.js";
import type { Clock, HandoffPort, HandoffState, Session, Translate } from "./ports.js";
import type { Button, IncomingMessage, Lang, Reply } from "./types.js";

/** The part of a turn the flow reads and changes. */
export interface FlowTurn {
  msg: IncomingMessage;
  session: Session;
  lang: Lang;
}

export interface HandoffFlowDeps {
  port: HandoffPort;
  t: Translate;
  clock: Clock;
  menu(turn: FlowTurn, lead?: string): Reply;
  /** Whether the feedback form exists (out of hours, a question can become a ticket). */
  canFileTicket: boolean;
}

export interface HandoffFlow {
  /** True when the unit's team can be reached in chat (the menu then offers it). */
  offered(turn: FlowTurn): boolean;
  /** `h:*` payloads outside a handoff. */
  onPayload(turn: FlowTurn, a: string): Promise<Reply[]>;
  /**
   * Runs first on every turn of a chat with an open request: the replies to send (possibly none),
   * or undefined when the request has ended and the turn goes on as usual.
   */
  intercept(turn: FlowTurn, command: string | undefined): Promise<Reply[] | undefined>;
}

const action = (label: string, payload: string): Button => ({ kind: "action", label, payload });

/** Creates the flow, e.g. `createHandoffFlow({ port, t, clock, menu, canFileTicket: true })`. */
export function createHandoffFlow(deps: HandoffFlowDeps): HandoffFlow {
  const { t, port } = deps;

  function queued(turn: FlowTurn, s: HandoffState, lead?: string): Reply[] {
    const L = turn.lang;
    if (s.status === "active")
      return [{ text: t(L, "handoff.connected"), buttons: [[action(t(L, "handoff.end"), "h:end")]] }];
    if (s.status !== "waiting") return [deps.menu(turn)];
    // Out of hours, say when the team opens rather than a wait counted in hundreds of minutes.
    const av = port.availability(turn.session.unit, deps.clock.now());
    const text =
      !av.open && av.nextOpen
        ? t(L, "handoff.queuedClosed", { position: s.position, next: formatLocal(av.nextOpen, L) })
        : t(L, "handoff.queued", { position: s.position, minutes: s.etaMinutes });
    return [
      {
        text: lead ? `${lead}\n\n${text}` : text,
        buttons: [[action(t(L, "handoff.cancel"), "h:end")]],
      },
    ];
  }

  async function join(turn: FlowTurn, unit: string): Promise<Reply[]> {
    const s = await port.request({
      channel: turn.msg.channel,
      chatId: turn.msg.chatId,
      unit,
      lang: turn.lang,
      recent: turn.session.recent ?? [],
    });
    turn.session.handoff = s.id;
    return queued(turn, s, t(turn.lang, "handoff.joined"));
  }

  async function ask(turn: FlowTurn, evenIfClosed: boolean): Promise<Reply[]> {
    const L = turn.lang;
    const unit = turn.session.unit;
    const av = port.availability(unit, deps.clock.now());
    if (!unit || !av.reachable) {
      return [
        {
          text: t(L, "handoff.unreachable"),
          buttons: [
            [action(t(L, "menu.hotlines"), "m:hot")],
            ...(deps.canFileTicket ? [[action(t(L, "handoff.leaveQuestion"), "h:leave")]] : []),
            [action(t(L, "menu.back"), "menu")],
          ],
        },
      ];
    }
    // Open by the clock but nobody has been at the desk lately: say so at once rather than queue.
    if (av.open && !av.staffed && !evenIfClosed) {
      return [
        {
          text: t(L, "handoff.nobodyOnDuty"),
          buttons: [
            ...(deps.canFileTicket ? [[action(t(L, "handoff.leaveQuestion"), "h:leave")]] : []),
            [action(t(L, "menu.hotlines"), "m:hot")],
            ...(deps.canFileTicket ? [[action(t(L, "menu.feedback"), "m:fb")]] : []),
            [action(t(L, "handoff.waitAnyway"), "h:queue")],
            [action(t(L, "menu.back"), "menu")],
          ],
        },
      ];
    }
    if (!av.open && !evenIfClosed) {
      return [
        {
          text: av.nextOpen
            ? t(L, "handoff.closed", { next: formatLocal(av.nextOpen, L) })
            : t(L, "handoff.closedNoHours"),
          buttons: [
            ...(deps.canFileTicket ? [[action(t(L, "handoff.leaveQuestion"), "h:leave")]] : []),
            [action(t(L, "menu.hotlines"), "m:hot")],
            [action(t(L, "handoff.waitAnyway"), "h:queue")],
            [action(t(L, "menu.back"), "menu")],
          ],
        },
      ];
    }
    return join(turn, unit);
  }

  return {
    offered(turn) {
      return port.availability(turn.session.unit, deps.clock.now()).reachable;
    },
    async onPayload(turn, a) {
      if (a === "req") return ask(turn, false);
      if (a === "queue") return ask(turn, true);
      return [deps.menu(turn)];
    },
    async intercept(turn, command) {
      const id = turn.session.handoff;
      if (!id) return undefined;
      const s = await port.state(id);
      if (s.status === "ended") {
        delete turn.session.handoff;
        return undefined;
      }
      const L = turn.lang;
      const payload = turn.msg.payload;
      // Leaving: the end button, or any command (/menu, /start, /huy …) returns to the bot.
      if (payload === "h:end" || command !== undefined) {
        await port.end(id);
        delete turn.session.handoff;
        if (payload === "h:end" || command === "menu" || command === "start" || command === "huy")
          return [deps.menu(turn, t(L, s.status === "waiting" ? "handoff.left" : "handoff.closedByYou"))];
        return undefined;
      }
      // Old buttons while handed off: say where things stand instead of acting on them.
      if (payload !== undefined) return queued(turn, s);
      const text = turn.msg.text?.trim();
      // Still waiting, "thôi không chờ nữa" leaves the queue; once connected, every word goes to staff.
      if (s.status === "waiting" && text && isCancel(foldText(text))) {
        await port.end(id);
        delete turn.session.handoff;
        return [deps.menu(turn, t(L, "handoff.left"))];
      }
      if (text || turn.msg.photo) await port.relay(id, { text: text?.slice(0, 2000), photo: turn.msg.photo });
      return [];
    },
  };
}
