/**
 * Matters that are not the commune's (content/referrals.yaml): the bot says plainly that the ward does
 * not handle it and who does, instead of offering a look-alike procedure.
 */
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { detectFacet } from "./intents.js";
import { hasPhrase } from "./phrases.js";
import type { ReferralInfo } from "./ports.js";
import type { Reply } from "./types.js";

/** The referral a question names, if any (and none of its exceptions). */
export function referralFor(referrals: ReferralInfo[], folded: string): ReferralInfo | undefined {
  return referrals.find(
    (r) => r.topics.some((p) => hasPhrase(folded, p)) && !r.except.some((p) => hasPhrase(folded, p)),
  );
}

/** Words that make the agency's matter itself the question ("làm", "cấp lại", "renew"), not a paper. */
const MATTER_VERB = /\b(lam|cap|doi|gia han|xin|renew|apply|make|issue|replace|new)\b/;

/** Creates the referral feature. */
export function createReferralFeature(kit: Kit): Feature {
  const { t, ports } = kit;
  function refer(turn: Turn, r: ReferralInfo): Reply[] {
    const L = turn.lang;
    const en = L === "en";
    return [
      {
        text: t(L, "refer.text", {
          agency: en ? r.agency_en : r.agency,
          handles: en ? r.handles_en : r.handles,
          reach: en ? r.reach_en : r.reach,
        }),
        buttons: [
          [action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.procedures"), "m:proc")],
          [action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "refer", agency: r.key },
      },
    ];
  }
  return {
    name: "referral",
    text(turn, _text, folded) {
      // "Do I need my passport?" about the procedure in discussion asks for its papers: the passport is
      // a paper to bring, not a passport matter ("làm hộ chiếu cần gì" still is).
      if (turn.session.lastProcedure && detectFacet(folded) === "documents" && !MATTER_VERB.test(folded))
        return undefined;
      const r = referralFor(ports.content.view().referrals ?? [], folded);
      return r ? refer(turn, r) : undefined;
    },
  };
}
