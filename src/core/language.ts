/**
 * The chat's language: the language menu, its buttons, /lang and /ngonngu, and the switch asked in
 * words ("English please", "can you speak English?", "nói tiếng Việt đi", "I don't read Vietnamese"); an
 * English message in a Vietnamese chat is answered in English. Owns payloads `m:lang`, `l:*` and the
 * session's `lang`.
 */
import { SUBSCRIPTION_CONSENT_VERSION } from "./subscriptions.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import type { Lang, Reply } from "./types.js";

/** Names of each language as residents type them (folded). */
const NAMES: Array<[Lang, RegExp]> = [
  ["en", /\b(english|tieng anh|anh ngu|eng)\b/g],
  ["vi", /\b(tieng viet|vietnamese|viet ngu)\b/g],
];

/** "I don't speak / cannot read …": the other language is wanted. */
const CANNOT =
  /\b(dont|don t|do not|cant|can t|can not|cannot|no|khong|ko|k|chua) (speak|understand|read|know|biet|hieu|doc|ranh|gioi)\b/;

/** Words that may stand around a language's name in a request to switch, and nothing else. */
const AROUND = new RegExp(
  String.raw`\b(please|pls|plz|can|could|would|will|you|u|i|we|me|us|do|does|speak|talk|use|write|reply|answer|respond|in|into|to|switch|change|set|the|language|lang|only|mode|version|bot|sorry|hi|hello|hey|ok|okay|thanks|thank|is|there|an|a|option|cho|toi|em|minh|xin|vui long|noi|bang|chuyen|doi|sang|qua|di|nhe|nha|duoc khong|duoc|dc|ko|khong|k|co the|co|ban|oi|voi|hay|ngon ngu|giup|tra loi|hoi|muon|nhan tin|tiep|dung|su dung|ad|admin|chat|doc|hieu|biet|dont|don|t|not|cant|can|cannot|no|read|understand|know|chua|very|well|much)\b`,
  "g",
);

/**
 * The language a short message asks the bot to use, e.g. "English please" → "en", "nói tiếng Việt đi" →
 * "vi", "I can't read Vietnamese" → "en"; undefined when the message is about anything else ("certify
 * an English translation", "we are both Vietnamese").
 */
export function languageAsked(folded: string): Lang | undefined {
  if (folded.split(" ").length > 8) return undefined;
  const named = NAMES.filter(([, re]) => new RegExp(re.source).test(folded)).map(([lang]) => lang);
  if (named.length !== 1) return undefined;
  let rest = folded;
  for (const [, re] of NAMES) rest = rest.replace(re, " ");
  if (rest.replace(AROUND, " ").trim()) return undefined;
  const lang = named[0]!;
  return CANNOT.test(folded) ? (lang === "en" ? "vi" : "en") : lang;
}

/** A Vietnamese syllable typed without diacritics: an initial, one to three vowels, a final. */
const VIETNAMESE_SHAPE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/** English words that carry a question's grammar; some fold like Vietnamese ("can", "the", "do"). */
const ENGLISH_WORDS = new Set(
  `a about am an and any are as at be been but by can could did do does for from get had has have how i if
  in is it its me my need no not of on or our please should so some that the there this to was we were
  what when where which who why will with would you your`.split(/\s+/),
);

/**
 * Whether a message is written in English (issue 17, point 6: an English question in a Vietnamese chat):
 * no diacritics, two words or more that no Vietnamese syllable has the shape of, an English function word,
 * and most words English. "is it free" and "how do I register a birth" are; "co the lam online duoc
 * khong", "oke tks ad" are not.
 */
export function typedInEnglish(text: string): boolean {
  const words = text
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length < 3 || words.some((w) => !/^[a-z0-9]+$/.test(w))) return false;
  const foreign = words.filter((w) => /^[a-z]+$/.test(w) && /[aeiouy]/.test(w) && !VIETNAMESE_SHAPE.test(w));
  if (foreign.length < 2 || !words.some((w) => ENGLISH_WORDS.has(w))) return false;
  const english = words.filter((w) => ENGLISH_WORDS.has(w) || foreign.includes(w)).length;
  return english / words.length >= 0.6;
}

/** Creates the language feature. */
export function createLanguageFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  function languageChoice(turn: Turn): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "language.choose"),
        buttons: [[action(t(L, "language.vi"), "l:vi"), action(t(L, "language.en"), "l:en")]],
        meta: { kind: "language" },
      },
    ];
  }

  async function setLanguage(turn: Turn, lang: Lang): Promise<Reply[]> {
    turn.session.lang = lang;
    turn.lang = lang;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (sub)
      await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
        ...sub,
        lang,
        consentVersion: SUBSCRIPTION_CONSENT_VERSION,
      });
    return [{ ...kit.menu(turn, t(lang, "language.changed")), meta: { kind: "language" } }];
  }

  return {
    name: "language",
    payloads: {
      "m:lang": languageChoice,
      l: (turn, [lang = ""]) => (lang === "vi" || lang === "en" ? setLanguage(turn, lang) : kit.stale(turn)),
    },
    commands: { lang: languageChoice, ngonngu: languageChoice },
    // An English message in a Vietnamese chat is answered in English (the chat keeps its language).
    intercept(turn) {
      const text = turn.msg.payload === undefined ? turn.msg.text : undefined;
      if (turn.lang === "vi" && text && typedInEnglish(text.slice(0, 300))) turn.lang = "en";
      return Promise.resolve(undefined);
    },
    text(turn, _text, folded) {
      const lang = languageAsked(folded);
      return lang ? setLanguage(turn, lang) : undefined;
    },
  };
}
