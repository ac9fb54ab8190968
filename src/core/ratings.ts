/**
 * Ratings: the five-level scale under answers, tickets and conversations with staff, an optional
 * comment, the SIPAS questions, and the survey links. Owns payloads `rt:*`, `rs:*`, `rc:*`, `sp:*`,
 * `m:survey` and the session's `rating`.
 */
import { ratingButtons } from "./cards.js";
import { isRemark } from "./complaints.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { foldText, isCancel, wantsPerson } from "./intents.js";
import type { Button, Reply } from "./types.js";

const SIPAS = ["tiep-can", "thu-tuc", "cong-chuc", "ket-qua", "phan-anh"] as const;

/** A level of the scale said in words, most specific first ("rất không hài lòng" before "hài lòng"). */
const LEVELS: Array<[number, RegExp]> = [
  [1, /^(rat khong hai long|rat te|qua te|te qua|rat kem|that vong|very (dissatisfied|unsatisfied|bad))$/],
  [
    2,
    /^(khong hai long|chua hai long|kem|te|khong tot|chua tot|dissatisfied|unsatisfied|not satisfied|bad)$/,
  ],
  [3, /^(binh thuong|tam duoc|tam on|on|trung binh|cung duoc|tam tam|neutral|so so|average|okay)$/],
  [5, /^(rat hai long|rat tot|tuyet voi|xuat sac|rat hay|very (satisfied|good)|excellent|great)$/],
  [4, /^(hai long|tot|hay|kha|satisfied|good)$/],
];

/** The level (1–5) a typed answer names, if any ("rất là hài lòng ạ" → 5, "4 sao" → 4). */
function levelOf(folded: string): number | undefined {
  const stars = /^([1-5]) ?(sao|diem|\/ ?5|stars?)$/.exec(folded);
  if (stars) return Number(stars[1]);
  const said = folded
    .replace(
      /\b(a|nhe|nha|thi|toi|em|minh|chau|thay|cam thay|danh gia|chon|muc|la|roi|oi|ad|i am|i m|im|very much)\b/g,
      " ",
    )
    .replace(/\s+/g, " ")
    .trim();
  return LEVELS.find(([, re]) => re.test(said))?.[0];
}

/** Whether the last reply was the scale (or a SIPAS question), so a typed level answers it. */
const scaleOnScreen = (turn: Turn) => (turn.session.choices ?? []).some((c) => /^(rs:|sp:\d)/.test(c));

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
      // Open while the scale is on screen (a level may be typed), while a comment was asked for, and for
      // the one message right after the thanks for a rating, where a remark on the answer is its comment.
      open: (turn) =>
        feedback !== undefined &&
        (scaleOnScreen(turn) ||
          turn.session.rating?.step === "comment" ||
          (turn.session.rating?.step === "rated" && (turn.session.choices ?? []).includes("rc:comment"))),
      async input(turn, text) {
        if (!feedback || text === undefined || /^\d{1,2}$/.test(text.trim())) return undefined;
        const folded = foldText(text);
        // "Hài lòng", "rất không hài lòng", "bình thường" typed under the scale: that level's button.
        if (scaleOnScreen(turn)) {
          const level = levelOf(folded);
          const payload =
            level === undefined
              ? undefined
              : (turn.session.choices ?? []).find((c) => /^(rs|sp):/.test(c) && c.endsWith(`:${level}`));
          return payload ? kit.press(turn, payload) : undefined;
        }
        const rating = turn.session.rating;
        if (!rating) return undefined;
        if (isCancel(folded)) {
          delete turn.session.rating;
          return [{ ...kit.menu(turn, t(turn.lang, "rating.bye")), meta: { kind: "rating_recorded" } }];
        }
        // Right after a rating, only a remark on the answer ("sơ sài quá, không nói rõ phải mang giấy
        // gì") is its comment; a question is answered as a question (issue 17, point 4).
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
