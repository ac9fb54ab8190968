/**
 * Ratings: the five-level scale under answers, tickets and conversations with staff, an optional
 * comment, the SIPAS questions, and the survey links. Owns payloads `rt:*`, `rs:*`, `rc:*`, `sp:*`,
 * `m:survey` and the session's `rating`.
 */
import { ratingButtons } from "./cards.js";
import { isRemark } from "./complaints.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { foldText, wantsPerson } from "./intents.js";
import type { Button, Reply } from "./types.js";

const SIPAS = ["tiep-can", "thu-tuc", "cong-chuc", "ket-qua", "phan-anh"] as const;

/** Creates the ratings feature. */
export function createRatingsFeature(kit: Kit): Feature {
  const { t, ports } = kit;
  const feedback = ports.feedback;

  function surveys(turn: Turn): Reply[] {
    const L = turn.lang;
    const links = ports.content.view().surveys.links.filter((l) => !l.unit || l.unit === turn.session.unit);
    const lines = [
      t(L, "surveys.title"),
      ...links.map((l) => `• ${l.label}${l.sample ? ` ${t(L, "surveys.sample")}` : ""}`),
    ];
    const rate: Button[][] = feedback ? [[action(t(L, "rating.rateService"), "rt:s:")]] : [];
    return [
      {
        text: lines.join("\n"),
        buttons: [
          ...rate,
          ...links.map((l): Button[] => [{ kind: "url", label: l.label, url: l.url }]),
          [action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "surveys" },
      },
    ];
  }

  function scale(turn: Turn, kind: string, id: string): Reply[] {
    return [
      {
        text: t(turn.lang, "rating.ask"),
        buttons: ratingButtons(turn.lang, t, kind, id),
        meta: { kind: "rating" },
      },
    ];
  }

  async function rate(turn: Turn, kind: string, id: string, score: number): Promise<Reply[]> {
    const L = turn.lang;
    const target = {
      kind: kind === "p" ? "procedure" : kind === "t" ? "ticket" : kind === "h" ? "handoff" : "service",
      id: id || undefined,
    } as const;
    if (!feedback || !(score >= 1 && score <= 5)) return kit.stale(turn);
    const r = await feedback.rate({
      channel: turn.msg.channel,
      chatId: turn.msg.chatId,
      unit: turn.session.unit,
      target,
      score,
    });
    if (r === "duplicate")
      return [{ ...kit.menu(turn, t(L, "rating.already")), meta: { kind: "rating_recorded" } }];
    // A comment is an explicit choice: whatever is typed next without pressing it is a new question.
    turn.session.rating = { id: r.id, step: "rated" };
    return [
      {
        text: t(L, "rating.thanks"),
        buttons: [
          [action(t(L, "rating.addComment"), "rc:comment")],
          [action(t(L, "rating.sipas"), "sp:start")],
          [action(t(L, "rating.skip"), "rc:skip")],
        ],
        meta: { kind: "rating_recorded" },
      },
    ];
  }

  function sipasQuestion(turn: Turn, i: number): Reply[] {
    const L = turn.lang;
    const el = SIPAS[i]!;
    return [
      {
        text: t(L, "rating.sipasQuestion", {
          n: i + 1,
          total: SIPAS.length,
          element: t(L, `rating.elements.${el}`),
        }),
        buttons: [
          ...[5, 4, 3, 2, 1].map((n) => [action(t(L, `rating.scale.${n}`), `sp:${i}:${n}`)]),
          [action(t(L, "rating.skip"), "rc:skip")],
        ],
        meta: { kind: "rating" },
      },
    ];
  }

  async function sipasAnswer(turn: Turn, i: number, score: number): Promise<Reply[]> {
    const r = turn.session.rating;
    const el = SIPAS[i];
    if (!feedback || !r || !el || !(score >= 1 && score <= 5)) return kit.stale(turn);
    await feedback.sipas(r.id, el, score);
    if (i + 1 < SIPAS.length) {
      turn.session.rating = { ...r, step: "sipas", next: i + 1 };
      return sipasQuestion(turn, i + 1);
    }
    delete turn.session.rating;
    return [{ ...kit.menu(turn, t(turn.lang, "rating.sipasDone")), meta: { kind: "rating_recorded" } }];
  }

  return {
    name: "ratings",
    payloads: {
      "m:survey": surveys,
      ...(feedback
        ? {
            rt: (turn: Turn, [kind = "", id = ""]: string[]) => scale(turn, kind, id),
            rs: (turn: Turn, [kind = "", id = "", score = ""]: string[]) =>
              rate(turn, kind, id, Number(score)),
            rc: (turn: Turn, [a]: string[]) => {
              if (a === "comment" && turn.session.rating) {
                turn.session.rating = { ...turn.session.rating, step: "comment" };
                return [
                  {
                    text: t(turn.lang, "rating.askComment"),
                    buttons: [[action(t(turn.lang, "rating.skip"), "rc:skip")]],
                    meta: { kind: "rating" },
                  },
                ];
              }
              delete turn.session.rating;
              return [kit.menu(turn, t(turn.lang, "rating.bye"))];
            },
            sp: (turn: Turn, [a = "", b = ""]: string[]) =>
              a === "start" && turn.session.rating
                ? sipasQuestion(turn, 0)
                : sipasAnswer(turn, Number(a), Number(b)),
          }
        : {}),
    },
    form: {
      // Open while a comment was asked for, and for the one message right after the thanks for a rating
      // (its buttons still on screen), where a remark on the answer is its comment.
      open: (turn) =>
        feedback !== undefined &&
        (turn.session.rating?.step === "comment" ||
          (turn.session.rating?.step === "rated" && (turn.session.choices ?? []).includes("rc:comment"))),
      async input(turn, text) {
        const rating = turn.session.rating;
        if (!feedback || !rating || text === undefined || /^\d{1,2}$/.test(text.trim())) return undefined;
        // Right after a rating, only a remark on the answer ("sơ sài quá, không nói rõ phải mang giấy
        // gì") is its comment; a question is answered as a question (issue 17, point 4).
        const folded = foldText(text);
        if (rating.step === "rated" && (!isRemark(text, folded) || wantsPerson(folded))) return undefined;
        await feedback.comment(rating.id, text);
        delete turn.session.rating;
        return [
          { ...kit.menu(turn, t(turn.lang, "rating.commentThanks")), meta: { kind: "rating_recorded" } },
        ];
      },
    },
    leave(turn, by) {
      if (by === "command") delete turn.session.rating;
    },
  };
}
