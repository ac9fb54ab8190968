/**
 * A typed question about the catalogue: which item it is about (the topic in discussion, or another
 * one it names) and which facet it asks for ("phí bao nhiêu" → the fee of the procedure in discussion).
 */
import { action, type Kit, type Turn } from "../feature.js";
import { detectFacet, foldText, scrubQuery, withoutFacet } from "../intents.js";
import type { Reply } from "../types.js";
import type { Catalogue } from "./index.js";

/** Answers typed text from the catalogue: a card, a facet of the topic, choices, or not found. */
export async function answerQuestion(kit: Kit, cat: Catalogue, turn: Turn, text: string): Promise<Reply[]> {
  const { t, ports } = kit;
  // Kept (scrubbed) for staff, should the citizen ask for a person next (only where one can be reached).
  if (kit.handoffOffered(turn))
    turn.session.recent = [...(turn.session.recent ?? []), scrubQuery(text)].slice(-3);
  const folded = foldText(text);
  const facet = detectFacet(folded);
  const last = turn.session.lastProcedure;
  // After a card, a question about one of its facets ("phí bao nhiêu?") is about that procedure,
  // unless what remains once the facet words are gone clearly names something else.
  const residual = facet && last ? withoutFacet(folded) : text;
  // Nothing but the facet words ("online?", "căn cứ pháp lý?"): it can only be about the last card.
  if (facet && last && !residual) return cat.showFacet(turn, last, facet);
  const answer = await ports.content.search(residual || text, {
    channel: turn.msg.channel,
    unit: turn.session.unit,
    // Logged with the question: a follow-up is answered from `last` whatever the search finds.
    followUp: facet && last ? last : undefined,
  });
  const top = answer.hits[0];
  if (facet && last && !(answer.level === "confident" && top && top.id !== last))
    return cat.showFacet(turn, last, facet);
  if (answer.level === "confident" && top) {
    if (facet && top.kind === "procedure" && facet !== "documents") return cat.showFacet(turn, top.id, facet);
    return cat.showHit(turn, top);
  }
  if (answer.level === "unsure" && answer.hits.length) {
    const L = turn.lang;
    const hits = answer.hits.slice(0, 3);
    return [
      {
        text: t(L, "search.unsure"),
        buttons: [
          ...hits.map((h) => [action(h.title, cat.hitPayload(h))]),
          ...kit.personRow(turn),
          [action(t(L, "search.noneOfThese"), "m:hot"), action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "choices", items: hits.map((h) => h.id) },
      },
    ];
  }
  return cat.notFound(turn);
}
