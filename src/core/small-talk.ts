/**
 * Small talk: thanks, greetings answered elsewhere (menu), goodbyes, apologies, distress and insults get
 * a short fitting reply and never a catalogue search. Grief inside a question is met with a condolence
 * line before the answer (see `condolence`).
 */
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { isCancel } from "./intents.js";
import type { Reply } from "./types.js";

type Talk = "thanks" | "bye" | "sorry" | "insult" | "distress" | "ok" | "wishes";

const PATTERNS: Array<[Talk, RegExp]> = [
  [
    "insult",
    /\b(bot|may|ad|admin)( nay)? (ngu|do|vo dung|te|kem|dot)\b|\b(ngu|dot) (qua|the|vay|vl|vcl)\b|\bdo ngu\b|\bvo dung\b|\bnhu (cc|c|l|shit|cut)\b|\b(toan )?sai bet\b|\bhoi gi cung (ko|k|khong) biet\b|\b(stupid|useless|dumb|idiot|you suck|waste of time|rubbish bot|terrible bot)\b/,
  ],
  [
    "distress",
    /\b(met moi|met qua|buon qua|chan qua|stress|kho qua|nan qua|tuyet vong|so qua|lo qua|buc qua|buc minh|(hard|difficult|tough|rough|terrible|awful|sad) (week|time|times|day|days|month|year|period)|(so|very|really) (sad|tired|stressed|worried)|(terrible|difficult|hard|tough|bad|desperate) situation|desperate|i m (sad|tired|stressed|exhausted|overwhelmed|worried|lost)|overwhelmed|exhausted|heartbroken|grieving)\b/,
  ],
  [
    "thanks",
    /\b(cam on|cam ön|camon|tks|thanks?|thank (you|u)|thx|ty|tysm|da ta|cam ta|cheers|(much|really) appreciated|appreciate (it|that|your help))\b/,
  ],
  [
    "bye",
    /\b(tam biet|bye|goodbye|good bye|hen gap lai|chao nhe|see you|see ya|good night|have a (nice|good) (day|one|evening|weekend))\b/,
  ],
  ["sorry", /\b(xin loi|sorry|excuse me|my apologies|apologies|my bad)\b/],
  [
    "ok",
    /^(ok|oke|okay|okie|uh|u|um|vang|da|duoc roi|roi|hieu roi|biet roi|good|great|tot|got it|i see|alright|all right|fine|noted|understood|cool|nice)$/,
  ],
];

/** Words that carry no question of their own around small talk (Vietnamese and English). */
const FILLER =
  /\b(ok|oke|okay|nhe|nha|nhieu|lam|qua|rat|xin|a|ah|ad|admin|anh|chi|em|toi|minh|can bo|ban|bot|cac|moi nguoi|thoi|vay|da|vang|nhe|roi|oi|so much|very|you|a lot|nhieu nhe|ca nha|nhe ad|tai|vi|hom nay|luc nay|it|its|has|have|had|been|is|was|am|in|please|this|that|for|us|me|i|my|your|all|the|an|and|so|really|help|again|just|we|our|indeed|anyway|but|too|of|everything|oh|well|already|it s|i m|we re|lot|lots)\b/g;

/**
 * Good wishes ("chúc ad nghỉ lễ vui vẻ", "năm mới an khang", "happy new year"): a wish starts with
 * "chúc" (not "chức năng", "chức vụ") or names a holiday greeting.
 */
const WISH =
  /^((em|toi|minh|chau|tui|chung toi|xin|kinh|ad|admin) )*chuc\b(?! (nang|vu|danh|sac|trach|chung thuc))|\b((nghi le|ngay le|le|tet|cuoi tuan|nam moi|giang sinh|noel|trung thu|ngay moi) (vui ve|an lanh|hanh phuc|binh an)|an khang thinh vuong|van su nhu y|happy (new year|holidays?|tet|weekend|national day)|merry christmas|season s greetings)\b/;
/** An apology for oneself ("xin lỗi, nãy giờ tôi nói hơi nặng lời", "sorry for bothering you"). */
const SELF_APOLOGY =
  /^((em|toi|minh|chau|tui|cho (toi|em|minh) )?xin loi|sorry|i m sorry|i apologi[sz]e|my apologies)\b/;
/** What one apologises for in a chat: harsh words, bothering, typing wrong (not a lost paper). */
const APOLOGY_REASON =
  /\b(nang loi|lam phien|phien (ad|admin|anh|chi|em|ban|ca)|mat thoi gian|nong (tinh|nay)|noi (qua|nang|hon|tuc|hoi qua)|qua loi|(go|bam|nhan|gui|hoi) (nham|sai|loi|cham)|bat lich su|vo le|hoi (nhieu|lai|mai)|to tieng|buc minh|bother|bothering|rude|earlier|typo|wrong (button|key|chat))\b/;
/** Words that make a message a question after all ("xin lỗi cho hỏi…", "chúc mừng… thì làm gì"). */
const ASKS =
  /\b(cho (toi|em|minh|chau|tui) hoi|hoi (chut|xiu|them|ti|cai|luon)|o dau|the nao|lam sao|nhu nao|bao nhieu|bao lau|can gi|(duoc|dc) (khong|ko|k)|co (can|phai|duoc)|thu tuc|lam gi|how|where|what|can i|do i)\b| (khong|ko|k|chua)$/;

/** Grief typed inside a question ("bố em mất hôm qua"): the answer starts with a condolence. */
const GRIEF =
  /\b(vua mat|moi mat|da mat|mat hom|mat roi|qua doi|tu tran|tu vong|tu tran|mat som nay|mat dem qua|mat tuan|bi mat hom|passed away|died)\b/;
const KIN =
  /\b(bo|me|ba|ong|cha|chong|vo|con|anh|chi|em|chau|co|chu|bac|di|cau|mo|nguoi nha|father|mother|wife|husband)\b/;

/** True when the question carries the death of someone close (and is not about a lost paper). */
export function carriesGrief(folded: string): boolean {
  if (/\b(qua doi|tu tran|tu vong|passed away|passed on|died|has passed|just passed)\b/.test(folded))
    return true;
  if (
    /\blost (my|our) (\w+ )?(father|mother|dad|mom|mum|husband|wife|son|daughter|child|baby|brother|sister|grandfather|grandmother|grandpa|grandma)\b/.test(
      folded,
    ) &&
    !/\b(certificate|card|paper|papers|document|documents|book|passport|id)\b/.test(folded)
  )
    return true;
  return (
    GRIEF.test(folded) &&
    KIN.test(folded) &&
    !/\b(giay|so|the|bang|ho so|chung minh|can cuoc)\b.*\bmat\b/.test(folded)
  );
}

/** True when the message says the person is upset or worn out ("chán quá", "bực quá"). */
export function distressed(folded: string): boolean {
  return PATTERNS.some(([kind, re]) => kind === "distress" && re.test(folded));
}

/** Thanks or goodbye as the last words of a message ("…, cảm ơn nha"). */
const CLOSING = /\b(cam on|camon|tks|thanks?|thank you|tam biet|bye|hen gap lai)( \w+){0,2}$/;

/** Words that make the rest of a message a question ("… còn lệ phí bao nhiêu?"). */
const ASKING =
  /\b(gi|j|nao|sao|khong|ko|k|dau|bao nhieu|bao lau|may|the nao|ra sao|co duoc|duoc khong|hoi|cho hoi|what|how|where|when|can|do|does|is)\b/;

/** What kind of small talk a message is, when it is nothing else. */
export function smallTalkOf(text: string, folded: string): Talk | undefined {
  if (!/[\p{L}\p{N}]/u.test(text)) return "ok"; // emoji, stickers' text, punctuation
  for (const [kind, re] of PATTERNS) {
    if (!re.test(folded)) continue;
    if (kind === "insult") return kind;
    // Only when little else is said: "cảm ơn, cho hỏi thêm…" goes on to the question.
    // Other small talk said with it counts as nothing more ("xin lỗi nha, hôm nay tôi bực quá", "thank
    // you, it has been a hard week").
    const rest = PATTERNS.reduce((acc, [, other]) => acc.replace(new RegExp(other.source, "g"), " "), folded)
      .replace(FILLER, " ")
      .replace(/\s+/g, " ")
      .trim();
    if (rest.split(" ").filter(Boolean).length <= 2) return kind;
    // Thanks or goodbye that closes the conversation with a plan ("vậy sáng thứ 7 em qua, cảm ơn
    // nha") asks nothing more.
    if (
      (kind === "thanks" || kind === "bye") &&
      CLOSING.test(folded) &&
      !text.includes("?") &&
      !ASKING.test(rest)
    )
      return kind;
  }
  // Longer wishes and apologies that ask nothing ("chúc ad nghỉ lễ vui vẻ", "xin lỗi nãy giờ tôi nói
  // hơi nặng lời"); "xin lỗi cho hỏi…" is a question and goes on to it.
  const plainTalk = !text.includes("?") && !ASKS.test(folded) && folded.split(" ").length <= 16;
  if (
    plainTalk &&
    SELF_APOLOGY.test(folded) &&
    APOLOGY_REASON.test(folded) &&
    !/\b(nhung|ma|but)\b/.test(folded)
  )
    return "sorry";
  if (plainTalk && WISH.test(folded)) return "wishes";
  // "Thôi khỏi", "hủy" with nothing open to cancel: nothing to search for.
  return isCancel(folded) ? "ok" : undefined;
}

/** Creates the small-talk feature. */
export function createSmallTalkFeature(kit: Kit): Feature {
  const { t } = kit;
  function reply(turn: Turn, kind: Talk): Reply[] {
    const L = turn.lang;
    const rows = [
      ...(kind === "insult" || kind === "distress" ? kit.personRow(turn) : []),
      ...(kind === "insult"
        ? [[action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.feedback"), "m:fb")]]
        : kind === "distress"
          ? [[action(t(L, "menu.hotlines"), "m:hot")]]
          : []),
      [action(t(L, "menu.back"), "menu")],
    ];
    return [{ text: t(L, `talk.${kind}`), buttons: rows, meta: { kind: "small_talk" } }];
  }
  return {
    name: "small-talk",
    text(turn, text, folded) {
      const kind = smallTalkOf(text, folded);
      return kind ? reply(turn, kind) : undefined;
    },
  };
}
