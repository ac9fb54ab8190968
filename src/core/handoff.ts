/**
 * Talking to a person, as a feature of the conversation: `h:*` payloads, "cho tôi gặp cán bộ", and the
 * open request that takes every turn first (see handoff-flow.ts for the flow itself).
 */
import { tagAll, type Feature, type Kit } from "./feature.js";
import type { HandoffFlow } from "./handoff-flow.js";
import { wantsPerson } from "./intents.js";

/** Creates the handoff feature over the flow the engine built. */
export function createHandoffFeature(kit: Kit, flow: HandoffFlow): Feature {
  const meta = { kind: "handoff" };
  return {
    name: "handoff",
    payloads: {
      h: async (turn, [a = ""]) => {
        // "Leave my question for later": the feedback form, with what was already asked as its draft.
        if (a === "leave" && kit.ports.feedback) {
          const draft = (turn.session.recent ?? []).join("\n");
          turn.session.fb = { step: "text", category: "khac", ...(draft ? { draft } : {}) };
          return kit.press(turn, "fb:resume");
        }
        return tagAll(await flow.onPayload(turn, a), meta);
      },
    },
    async intercept(turn, command) {
      if (!turn.session.handoff) return undefined;
      const replies = await flow.intercept(turn, command);
      return replies && tagAll(replies, meta);
    },
    async text(turn, _text, folded) {
      return wantsPerson(folded) ? tagAll(await flow.onPayload(turn, "req"), meta) : undefined;
    },
  };
}
