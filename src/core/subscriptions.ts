/**
 * Announcements: subscribing with consent, choosing topics, unsubscribing. Owns payloads `m:sub`,
 * `sub:*` and `t:*`.
 */
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { TOPICS, type Topic } from "./topics.js";
import type { Reply } from "./types.js";

/** Version of the subscription notice the citizen agreed to (stored with the consent). */
export const SUBSCRIPTION_CONSENT_VERSION = "sub-2026-11";

const EN_NEWS = String.raw`(the |your |ward s |commune s |local |any )?(announcements?|notifications?|news|updates|notices|messages|alerts)`;
/** "Stop sending me announcements", "I don't want notifications any more". */
const EN_UNSUBSCRIBE = new RegExp(
  String.raw`\b((stop|no more|dont want|don t want|do not want|turn off|cancel)( sending| receiving| getting)?( me)? ${EN_NEWS}|unsubscribe)\b`,
);
/** "I want to receive announcements", "sign me up for news". */
const EN_SUBSCRIBE = new RegExp(
  String.raw`\b((receive|get|sign (me )?up for|subscribe to|follow|send me) ${EN_NEWS}|sign me up)\b`,
);

/** Creates the subscriptions feature. */
export function createSubscriptionsFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  async function subscriptionMenu(turn: Turn, lead?: string): Promise<Reply[]> {
    const L = turn.lang;
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    const head = lead ? `${lead}\n\n` : "";
    if (!sub) {
      return [
        {
          text: `${head}${t(L, "subscribe.notice")}`,
          buttons: [[action(t(L, "subscribe.agree"), "sub:on")], [action(t(L, "menu.back"), "menu")]],
          meta: { kind: "subscribe" },
        },
      ];
    }
    const rows = TOPICS.map((topic) => [
      action(`${sub.topics.includes(topic) ? "✅" : "⬜"} ${t(L, `topics.${topic}`)}`, `t:${topic}`),
    ]);
    rows.push([action(t(L, "subscribe.stop"), "sub:off")], [action(t(L, "menu.back"), "menu")]);
    return [{ text: `${head}${t(L, "subscribe.manage")}`, buttons: rows, meta: { kind: "subscribe" } }];
  }

  async function subscribe(turn: Turn): Promise<Reply[]> {
    const existing = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
      topics: existing?.topics ?? [...TOPICS],
      unit: turn.session.unit,
      lang: turn.lang,
      consentVersion: SUBSCRIPTION_CONSENT_VERSION,
    });
    return subscriptionMenu(turn, t(turn.lang, "subscribe.done"));
  }

  async function toggleTopic(turn: Turn, topic: Topic): Promise<Reply[]> {
    const sub = await ports.subscriptions.get(turn.msg.channel, turn.msg.chatId);
    if (!sub) return subscriptionMenu(turn);
    const topics = sub.topics.includes(topic)
      ? sub.topics.filter((x) => x !== topic)
      : [...sub.topics, topic];
    await ports.subscriptions.subscribe(turn.msg.channel, turn.msg.chatId, {
      ...sub,
      topics,
      consentVersion: SUBSCRIPTION_CONSENT_VERSION,
    });
    return subscriptionMenu(turn);
  }

  async function unsubscribe(turn: Turn): Promise<Reply[]> {
    await ports.subscriptions.unsubscribe(turn.msg.channel, turn.msg.chatId);
    return [{ ...kit.menu(turn, t(turn.lang, "subscribe.stopped")), meta: { kind: "unsubscribe" } }];
  }

  return {
    name: "subscriptions",
    text(turn, _text, folded) {
      if (EN_UNSUBSCRIBE.test(folded)) return unsubscribe(turn);
      if (EN_SUBSCRIBE.test(folded)) return subscriptionMenu(turn);
      if (
        /\b(huy|ngung|dung|thoi|bo|tat) (gui |dang ky )?(nhan )?(thong bao|tin)\b|\bunsubscribe\b/.test(
          folded,
        ) ||
        // "Tôi không muốn nhận thông báo nữa" says no, whatever screen it follows.
        /\b(khong|chang) (muon |can |thich )?nhan (them )?(thong bao|tin nhan|tin)( cua \w+)?( nua)?\b/.test(
          folded,
        )
      )
        return unsubscribe(turn);
      // Right after the subscription screen, "thôi không nhận nữa, hủy đi" needs no object.
      const onSubscription = (turn.session.choices ?? []).some((p) => /^(sub|t):/.test(p));
      if (
        onSubscription &&
        /\b((khong|ko|k) (muon )?nhan( thong bao| tin)? nua|huy (di|dang ky)|ngung nhan|stop)\b|^(huy|thoi)$/.test(
          folded,
        )
      )
        return unsubscribe(turn);
      // "Có tin cắt nước hay tiêm phòng gì thì báo tôi với": news to be told of is a subscription.
      if (/\bco (tin|lich|thong bao)\b.*\bbao (cho )?(toi|em|minh)( voi| nhe| biet| nha)?\b/.test(folded))
        return subscriptionMenu(turn);
      if (
        /\b(dang ky|muon|cho toi|cho em) (nhan )?(tin )?(thong bao|tin tuc|ban tin)\b|\bsubscribe\b/.test(
          folded,
        )
      )
        return subscriptionMenu(turn);
      return undefined;
    },
    payloads: {
      "m:sub": (turn) => subscriptionMenu(turn),
      sub: (turn, [a]) => (a === "on" ? subscribe(turn) : a === "off" ? unsubscribe(turn) : kit.stale(turn)),
      t: (turn, [topic = ""]) =>
        (TOPICS as readonly string[]).includes(topic) ? toggleTopic(turn, topic as Topic) : kit.stale(turn),
    },
  };
}
