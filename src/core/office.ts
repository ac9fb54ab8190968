/**
 * The unit's own office: hotlines, address and opening hours. Owns payload `m:hot` and the commands
 * /hotline and /duongdaynong.
 */
import { hotlineLine, plain } from "./cards.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { formatLocal, isOpen, nextOpening } from "./hours.js";
import type { UnitInfo } from "./ports.js";
import type { Button, Reply } from "./types.js";

/** What a citizen asks about the office itself. */
export type OfficeAsk = "address" | "hours" | "phone" | "hotlines";

const OFFICE = String.raw`(uy ban|ubnd|tru so|phuong|xa|bo phan mot cua|mot cua|trung tam phuc vu hanh chinh cong|trung tam hanh chinh cong|office)`;
const ADDRESS = new RegExp(
  String.raw`\b${OFFICE}( phuong| xa)?( minh| toi| nay| em| ta)? (o dau|nam o dau|o cho nao|nam cho nao|dia chi)\b|\bdia chi (cua )?${OFFICE}\b|\b${OFFICE}( phuong| xa)?( minh| toi| nay| em| ta)? (nam o |nam |o )(duong|pho|cho|thon|khu) nao\b|\bwhere is (the )?(ward|commune|office)\b`,
);
const DAY = String.raw`(thu (2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|t[2-7]|cn|chu nhat|cuoi tuan|hom nay|ngay mai|mai(?! tang)|gio nay|bay gio|trua|buoi trua|(sang|chieu|toi) (nay|mai)|buoi (sang|chieu)|le(?! phi)|tet|saturday|sunday|weekend|today|tomorrow)`;
/** The office at work on a day: it takes files, receives residents ("t7 phường có nhận hồ sơ ko"). */
const RECEIVES = String.raw`(co |con )?(nhan|tiep nhan) (ho so|giay to)|tiep dan|co (ai )?truc(?! (tuyen|tiep))|co mo|mo (khong|ko|k)$`;
const HOURS = new RegExp(
  String.raw`\b(may gio (mo|dong|lam viec|lam|bat dau|nghi)|gio (lam viec|hanh chinh|mo cua)|mo cua|(?<!hop )dong cua|opening hours|office hours|open on)\b|\b${DAY}\b.*\b(lam viec|co lam|con lam|lam khong|lam ko|lam k|lam ha|mo cua|nghi|open|${RECEIVES})\b|\b(lam viec|co lam|con lam|mo cua|open|${RECEIVES})\b.*\b${DAY}\b|\b(${DAY}|\d+ gio( sang| trua| chieu)?)\b.*\b(len|den|ra|qua|toi|di|ghe) (nop|lam|lay)\b.*\b(duoc|dc) (khong|ko|k|a|ha)\b|\b(phuong|xa|uy ban|ubnd)( minh| toi)? (lam viec|mo cua) (may gio|luc nao|gio nao)\b|\b(lam|lam viec|mo cua|mo) (den|toi|tu) (may gio|luc nao|gio nao)\b`,
);
const PHONE =
  /\b(so dien thoai|sdt|so dt|dien thoai|(?<!ve )so may|goi so nao|so lien he|phone number|phone)\b/;
/** A number asked for to call ("cho số tổ tư vấn để tôi gọi hỏi", "xin số để liên hệ"), not a book (sổ). */
const NUMBER_TO_CALL =
  /\b(cho|xin|gui|can|biet|co)( \w+){0,2} so\b(?! (ho|do|hong|tay|sach|tiet|ky|tien|ngay|lan|luong|thu tu|dinh danh|can cuoc|cmnd|cccd|giay|tai khoan|bao hiem|trang|ban|xe|nha|nguoi|con|tuoi|dang ky))( \w+){0,6} (goi|lien he|lien lac|call)\b|\bso (nao|gi) (de )?(goi|lien he|lien lac)\b|\bso (zalo|cua (phuong|xa|ubnd|uy ban|bo phan|mot cua|to tu van|can bo))\b|\bso (phuong|xa|ubnd|uy ban|mot cua)( \w+)? (la )?(bao nhieu|gi|may|nao)\b|\bgoi (cho )?(ai|dau|so nao)\b/;
const HOTLINE = /\b(duong day nong|hotline|tong dai|1022)\b/;
/** A follow-up that only names another time ("chiều nay thì sao"), after a question about the hours. */
const HOURS_FOLLOW_UP = new RegExp(
  String.raw`^(con |the |vay |con vao )?${DAY}( thi)?( sao| the nao| co (lam|mo)( viec| cua)?( khong| ko| k)?)?( a| vay| nhi)?$`,
);
/** Words that make it a question about a procedure's result, not the office ("mấy giờ có kết quả"). */
const PROCEDURE_TIME = /\b(ket qua|lay (giay|ket qua)|tra ket qua|bao lau|may ngay|ngay lam viec)\b/;

// === The same questions in English ("what time does the office open?", "are you open on Saturday?")
const EN_PLACE = String.raw`(the |your |this |our )?(ward |commune |one stop |people s committee )?(office|ward|commune|committee|one stop shop|you|it|they)`;
const EN_DAY = String.raw`(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekends?|today|tomorrow|tonight|now|lunch( time)?|noon|midday|this (morning|afternoon|evening)|in the (morning|afternoon|evening)|holidays?|tet)`;
const EN_ADDRESS = new RegExp(
  String.raw`\b(where is ${EN_PLACE}|where are you( located)?|(the|your|ward|commune|office|committee|its) (address|location)|address of ${EN_PLACE}|^((and|what about|how about) )?(the |your )?(address|location)$|location of ${EN_PLACE}|how (do i|can i|to) (get|go) (to|there)|directions to)\b`,
);
/** An address that is the resident's own business ("change the address of my shop"), not the office's. */
const EN_OWN_ADDRESS = /\b(change|changing|update|move|moving|new|my|our|shop|business|residence)\b/;
const EN_HOURS = new RegExp(
  String.raw`\b((what time|when) (does|do|is|are|will) ${EN_PLACE}( \w+)? (open|close|start|finish)|(opening|office|working|business) (hours|times)|(is|are) ${EN_PLACE}( \w+){0,2} (open|closed|working)|(do|does) ${EN_PLACE} (work|open)( \w+){0,2} (on|at|during|in) ${EN_DAY}|(open|closed|working) (on|at|during|in|this|today|tomorrow|now)|what time (do|does) (you|it|the office) (open|close))\b`,
);
const EN_HOURS_FOLLOW_UP = new RegExp(
  String.raw`^((and|what about|how about|and what about) )?(on |at |in |at the )?${EN_DAY}( then)?$`,
);
const EN_PROCEDURE_TIME = /\b(results?|how long|how many days|ready|processing|certificate|pick (it )?up)\b/;

/** What the message asks about the office, if it is about the office at all. */
export function officeAsk(folded: string): OfficeAsk | undefined {
  if (HOTLINE.test(folded)) return "hotlines";
  if (
    (PHONE.test(folded) || NUMBER_TO_CALL.test(folded)) &&
    !/\b(tai khoan|vneid|dang ky so|doi so)\b/.test(folded) &&
    // "Làm trên điện thoại được không" asks whether it can be done online, not for a number.
    !/\b(tren|qua|bang) dien thoai\b/.test(folded)
  )
    return "phone";
  if (ADDRESS.test(folded) || (EN_ADDRESS.test(folded) && !EN_OWN_ADDRESS.test(folded))) return "address";
  // "Đóng cửa 2 tháng" is a shop closing for a while (a household business), not the office's hours.
  if (
    HOURS.test(folded) &&
    !PROCEDURE_TIME.test(folded) &&
    !/\b(dong|mo) cua \d+ (ngay|tuan|thang|nam)\b|\b(ho kinh doanh|tiem|cua hang|shop|quan (an|nhau|cafe|ca phe|nuoc|bun|pho))\b/.test(
      folded,
    )
  )
    return "hours";
  // "Thứ 7 phường có đăng ký kết hôn không": whether the office works that day.
  if (
    /\b(thu 7|thu bay|t7|chu nhat|cn)\b.*\b(phuong|xa|ubnd|mot cua)\b.*\bco (\w+ ){0,5}(khong|ko|k)\b/.test(
      folded,
    )
  )
    return "hours";
  if (EN_HOURS.test(folded) && !EN_PROCEDURE_TIME.test(folded)) return "hours";
  return undefined;
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** The weekday a question names: "thứ 7" → sat. */
function askedDay(folded: string): (typeof WEEKDAYS)[number] | undefined {
  if (/\b(thu 7|thu bay|t7|saturday)\b/.test(folded)) return "sat";
  if (/\b(chu nhat|cn|sunday)\b/.test(folded)) return "sun";
  const en = /\b(monday|tuesday|wednesday|thursday|friday)\b/.exec(folded);
  if (en) return WEEKDAYS[["monday", "tuesday", "wednesday", "thursday", "friday"].indexOf(en[1]!) + 1];
  const m = /\b(?:thu (2|3|4|5|6|hai|ba|tu|nam|sau)|t([2-6]))\b/.exec(folded);
  if (!m) return undefined;
  const n =
    { "2": 1, hai: 1, "3": 2, ba: 2, "4": 3, tu: 3, "5": 4, nam: 4, "6": 5, sau: 5 }[m[1] ?? m[2]!] ?? 1;
  return WEEKDAYS[n];
}

/** Creates the office feature. */
export function createOfficeFeature(kit: Kit): Feature {
  const { t, ports } = kit;

  function hotlines(turn: Turn): Reply[] {
    const L = turn.lang;
    const view = ports.content.view();
    const unitId = turn.session.unit;
    const unit = view.units.find((u) => u.id === unitId);
    const own = view.hotlines.filter((h) => h.unit !== undefined && h.unit === unitId);
    const shared = view.hotlines.filter((h) => h.unit === undefined);
    const lines = [
      t(L, "hotlines.title", {
        unit: unit ? (L === "en" && unit.name_en ? unit.name_en : unit.name) : t(L, "hotlines.province"),
      }),
    ];
    const all = [...own, ...shared];
    for (const h of all) lines.push(hotlineLine(h, L, t));
    if (unit?.address) lines.push("", `📍 ${unit.address}`);
    if (unit?.phone) lines.push(`☎️ ${unit.phone}`);
    if (unit?.office_hours) lines.push(`🕒 ${unit.office_hours}`);
    if (all.some((h) => h.sample)) lines.push("", t(L, "hotlines.sampleNote"));
    const callable: Button[] = all
      .filter((h) => !h.sample)
      .map((h) => ({
        kind: "phone",
        label: `${L === "en" && h.label_en ? h.label_en : h.label}`,
        phone: h.phone,
      }));
    const rows: Button[][] = callable.map((b) => [b]);
    if (!unitId && kit.selectableUnits().length > 1) rows.push([action(t(L, "menu.changeUnit"), "m:unit")]);
    rows.push([action(t(L, "menu.back"), "menu")]);
    return [{ text: lines.join("\n"), buttons: rows, meta: { kind: "hotlines" } }];
  }

  function unitName(turn: Turn, u: UnitInfo): string {
    return turn.lang === "en" && u.name_en ? u.name_en : u.name;
  }

  /** The office's own facts asked for, from the unit record. */
  function unitInfo(turn: Turn, ask: OfficeAsk, folded: string): Reply[] {
    const L = turn.lang;
    if (ask === "hotlines") return hotlines(turn);
    const unit = kit.unitOf(turn);
    if (!unit) {
      // Which office? The answer depends on the unit: ask for it first.
      return [
        {
          text: t(L, "office.whichUnit"),
          buttons: kit.selectableUnits().map((u) => [action(unitName(turn, u), `u:${u.id}`)]),
          meta: { kind: "menu" },
        },
      ];
    }
    const lines: string[] = [`**${plain(unitName(turn, unit))}**`];
    if (ask === "phone") {
      const own = ports.content.view().hotlines.filter((h) => h.unit === unit.id);
      if (own.length) for (const h of own) lines.push(hotlineLine(h, L, t));
      else lines.push(t(L, "office.noPhone"));
      if (own.some((h) => h.sample)) lines.push("", t(L, "hotlines.sampleNote"));
    }
    if (ask === "address" || ask === "hours") {
      lines.push(unit.address ? `📍 ${plain(unit.address)}` : t(L, "office.noAddress"));
      lines.push(unit.office_hours ? `🕒 ${plain(unit.office_hours)}` : t(L, "office.noHours"));
    }
    if (ask === "hours" && unit.working_hours?.length) {
      const day = askedDay(folded);
      if (day) {
        const periods = unit.working_hours.filter((o) => o.days.includes(day));
        const label = t(L, `office.days.${day}`);
        lines.push(
          periods.length
            ? t(L, "office.dayOpen", {
                day: label,
                hours: periods.map((o) => `${o.from}–${o.to}`).join(", "),
              })
            : t(L, "office.dayClosed", { day: label }),
        );
      }
      const now = ports.clock.now();
      if (isOpen(unit, now)) lines.push(t(L, "office.openNow"));
      else {
        const next = nextOpening(unit, now);
        lines.push(
          next ? t(L, "office.closedNow", { next: formatLocal(next, L) }) : t(L, "office.closedNoHours"),
        );
      }
    }
    if (unit.sample) lines.push("", t(L, "office.sample"));
    return [
      {
        text: lines.join("\n"),
        buttons: [[action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.back"), "menu")]],
        meta: { kind: "unit_info" },
      },
    ];
  }

  return {
    name: "office",
    payloads: { "m:hot": hotlines },
    commands: { hotline: hotlines, duongdaynong: hotlines },
    async text(turn, text, folded) {
      const ask =
        officeAsk(folded) ??
        (turn.session.lastOffice && (HOURS_FOLLOW_UP.test(folded) || EN_HOURS_FOLLOW_UP.test(folded))
          ? "hours"
          : undefined);
      if (!ask) {
        delete turn.session.lastOffice;
        return undefined;
      }
      turn.session.lastOffice = ask;
      // The ward's own written answer to this very question (a Hỏi – Đáp of the unit) comes first:
      // staff wrote it for the case the unit record does not tell (e.g. Saturday mornings).
      const found = await ports.content.search(text, { channel: turn.msg.channel, unit: turn.session.unit });
      const top = found.hits[0];
      if (found.level === "confident" && top?.kind === "faq") {
        const faq = ports.content.view().faqs.find((f) => `faq:${f.slug}` === top.id);
        if (faq?.unit && faq.unit === turn.session.unit) return kit.press(turn, `q:${faq.slug}`);
      }
      return unitInfo(turn, ask, folded);
    },
  };
}
