/**
 * Feedback (phản ánh, kiến nghị): the form that files a ticket, and looking a ticket up. Owns payloads
 * `m:fb`, `m:tk`, `fb:*`, `tk:*`, the commands /gopy, /phananh, /tracuu and the session's `fb`.
 */
import { plain } from "./cards.js";
import { action, type Feature, type Kit, type Turn } from "./feature.js";
import { asksCatalogue, asksQuestion, categoryOf, isComplaint } from "./complaints.js";
import { detectFacet, foldText, isCancel, isResume, matchLabel } from "./intents.js";
import { smallTalkOf } from "./small-talk.js";
import type { FeedbackPort } from "./ports.js";
import type { Button, Lang, Reply } from "./types.js";

/** Tickets a chat may file in 24 hours. */
export const TICKETS_PER_DAY = 5;
/** Longest feedback text. */
export const MAX_TICKET_CHARS = 2_000;
/** Version of the contact-consent text shown in the feedback form (stored with the consent). */
export const CONTACT_CONSENT_VERSION = "contact-2026-11";
/** Days after a ticket closes that contact details are kept, as the consent text says. */
export const CONTACT_RETENTION_NOTICE_DAYS = 180;
/** A ticket code typed anywhere: PA-2026-000123. */
export const TICKET_CODE = /\bPA-\d{4}-\d{6}\b/i;

const CATEGORIES = ["thu-tuc", "thai-do", "dich-vu-cong", "de-xuat", "khac"] as const;

/** "I want to complain / suggest": starts the form with what was typed as its draft. */
const COMPLAIN =
  /\b(phan anh|gop y|kien nghi|khieu nai|to cao|phan nan|co y kien|y kien (ve|la|rang)|complain|complaint|feedback|report a problem)\b/;
/** "How is my complaint going?" */
const STATUS =
  /\b(tinh trang|tra cuu|den dau|toi dau|the nao roi|tien do|da xu ly|chua (thay )?(tra loi|xu ly|giai quyet|phan hoi)|kiem tra (sao|the nao|o dau)|(xu ly|tra loi|giai quyet|phan hoi) chua|(co )?ai (xu ly|tra loi|giai quyet|doc) chua|xem lai|status|progress|any news|any update|been (handled|answered|resolved)|track)\b/;
/** A question typed inside the form rather than an answer to it ("à thôi, cho hỏi…"). */
const ASIDE =
  /^(a |a thoi|thoi|nhan tien|tien the|tien hoi|hoi luon|hoi them|cho hoi|cho em hoi|cho toi hoi|ma |con |but |by the way)|\b(cho hoi|hoi luon|nhan tien|tien the hoi|hoi ngoai le|ngoai le chut|hoi (chut|xiu|nho|cai nay|viec khac|chuyen khac))\b/;
/** A request for a service rather than a complaint ("tôi muốn làm giấy xác nhận độc thân để kết hôn"). */
const WANTS_SERVICE =
  /^((toi|em|minh|chau|cho (toi|em|minh)) )?(muon|can|dinh|xin) (lam|xin|dang ky|hoi|biet|tim hieu|tra cuu|nop|cap|chung thuc|sao y|trich luc)\b/;
/** Asking how feedback is handled ("phản ánh bao lâu thì được trả lời"): the FAQ answers it, not the form. */
const HOW_HANDLED =
  /\b(bao lau|may ngay|khi nao|bao gio|(duoc|co) (tra loi|giai quyet|xu ly|phan hoi)|ai (xu ly|giai quyet|tra loi|doc|tiep nhan|xem)|(xu ly|giai quyet|tiep nhan|tra loi) (the nao|ra sao|nhu the nao|nhu nao)|cho nao|noi nao|cong khai|bi mat|an danh|giau ten|bi lo|lo (thong tin|danh tinh|ten)|mat phi|ton phi|quy dinh|nghi dinh|xem (tra loi|ket qua)|quy trinh|how long|who (handles|reads|answers)|where)\b/;
/** Where or to whom to report something ("báo ở đâu", "tố cáo với ai", "phản ánh cho ai"). */
const REPORT_WHERE =
  /\b(bao|trinh bao|to cao|phan anh|khieu nai|kien nghi|gop y) (cho |voi |len |den )?(ai|o dau|dau|noi nao|co quan nao|cho nao|so nao)\b|\bwhere (do|can|should) i (report|complain)\b/;
/** The resident wants to file one now ("tôi muốn phản ánh…", "cho tôi góp ý"). */
const WANTS =
  /\b(toi|em|minh|tui|chau|chung toi) (muon|can|xin|se|dinh|gui)\b|\bcho (toi|em|minh|tui) (gui|phan anh|gop y|kien nghi)\b|\b(i want|i would like|i need|let me)\b/;

/** Words of a bare request to complain ("tôi muốn gửi phản ánh ạ"), which make no draft. */
const REQUEST_WORDS =
  /\b(toi|em|minh|tui|chau|chung toi|muon|can|xin|gui|cho|viec|mot|cai|ve|la|rang|co|a|nhe|nha|voi|den|xa|phuong|ubnd|i|want|to|send|give|some|a|an)\b/g;

// === Typed answers to the form's steps (the same as pressing their buttons)

/** A category named in words ("nội dung khác", "thái độ", "dịch vụ công"). */
const CATEGORY_WORDS: Array<[(typeof CATEGORIES)[number], RegExp]> = [
  ["thai-do", /\b(thai do|tac phong|can bo|cong chuc|nhan vien|attitude|staff|conduct)\b/],
  ["dich-vu-cong", /\b(dich vu cong|truc tuyen|online|cong dich vu|dvc|portal|website)\b/],
  ["de-xuat", /\b(de xuat|cai tien|y tuong|suggestion|improvement|suggest)\b/],
  ["thu-tuc", /\b(thu tuc|tthc|hanh chinh|procedures?)\b/],
  // Topics residents name that have no button of their own ("vệ sinh môi trường", "giao thông, hạ tầng").
  [
    "khac",
    /\b(khac|other|something else|ve sinh|moi truong|giao thong|ha tang|trat tu|do thi|an ninh|chieu sang|thoat nuoc|cay xanh|tieng on|an toan|dien nuoc|rac thai|xay dung|dat dai|y te|giao duc)\b/,
  ],
];
/** Words of the category buttons and around them: an answer made only of these names a category. */
const CATEGORY_LABEL_WORDS = new Set(
  "thu tuc hanh chinh tthc thai do tac phong can bo cong chuc nhan vien dich vu cong truc tuyen online dvc de xuat cai tien y tuong noi dung khac van de linh vuc muc loai chon cua va ve la a nhe oi di toi ve sinh moi truong giao thong ha tang trat tu do thi an ninh chieu sang thoat nuoc cay xanh tieng on an toan dien nuoc rac thai xay dung dat dai y te giao duc procedure procedures staff attitude conduct online services portal website suggestion improvement suggest other something else the".split(
    " ",
  ),
);
/** "Use what I typed" at the text step. */
const USE_DRAFT =
  /\b(dung|lay|giu) (noi dung|ban nhap|cai|cau|tin)|\b(nhu tren|nhu vua (go|noi|nhan)|ban nhap|noi dung da go|giu nguyen|vay thoi|the thoi|use (it|the draft|what i wrote))\b/;
/** Agreeing with the draft shown ("gửi luôn", "ok", "vậy thôi"). */
const AGREE =
  /^(gui (luon|di|nhu vay|nhu tren)|ok|oke|okay|dung roi|dung vay|dung|the thoi|vay thoi|vay do|nhu vay|xong|het roi|chi vay thoi|co|dong y|yes|that s it|send it)( a| nhe| nha| di)?$/;
/** No photo ("bỏ qua", "không có ảnh", "ko gửi ảnh"). */
const NO_PHOTO =
  /^(khong|ko|k|kg|hok|no|chua|thoi|khoi|khong can|khong co|ko co|k co|bo qua|skip|no photo|none)$|\b(bo qua|skip|khong can|(khong|ko|k|kg|hok|chua|no|without)( co| gui| kem| can| chup| co san)? (anh|hinh|photo|picture))\b/;
/** Declining to leave contact details ("không để lại số", "ẩn danh") — read before YES_CONTACT. */
const NO_CONTACT =
  /\b(khong|ko|k|kg|hok|thoi|khoi|an danh|giau ten|giau danh tinh|no|not|dont|without|bo qua|skip|anonymous)\b/;
/** Words about contact details ("để lại số", "không cần liên lạc lại", "ẩn danh"). */
const CONTACT_WORDS =
  /\b(so|sdt|so dien thoai|dien thoai|lien he|lien lac|ho ten|ten|an danh|giau ten|contact|phone|name|anonymous)\b/;
/** Agreeing to leave them ("có", "đồng ý", "để lại số"). */
const YES_CONTACT =
  /^(co|c|u|uh|um|vang|da|dong y|ok|oke|okay|duoc|dc|yes|y|sure)\b|\b(de lai|dong y|cho so|yes)\b/;
/** Asking to publish (or, with a negation, not to publish) the question and its answer. */
const PUBLIC = /\b(cong khai|dang (len|cong khai|hoi dap)|cho dang|duoc dang|public|publish)\b/;
const NEGATED = /\b(khong|ko|k|kg|hok|dung|chua|no|not|dont|private|rieng tu|an danh)\b/;
/** Sending ("gửi đi", "xác nhận", "ok gửi"). */
const SEND =
  /\b(gui|xac nhan|ok|oke|okay|dong y|co|xong|duoc|dc|dung roi|chinh xac|send|yes|confirm|submit)\b/;
/** "Tên tôi là …", "họ tên: …" before a name. */
const NAME_LEAD =
  /^\s*((tên|ten) (tôi|toi|em|mình|minh|cháu|chau) (là|la)|(tôi|toi|em|mình|minh|cháu|chau) (tên|ten)( (là|la))?|(họ|ho) (tên|ten):?|(tên|ten):|my name is|name:)\s*/i;
/** "Gửi" said outright (at the contact question, where "có", "ok" answer the question itself). */
const SEND_NOW = /\b(gui|send|submit|xac nhan)\b/;
/** Changing what was written, at the summary ("sửa lại nội dung", "viết lại"). */
const EDIT = /\b(sua|viet lai|go lai|nhap lai|chinh lai|thay doi noi dung|edit|change|rewrite)\b/;
/** A phone number typed anywhere in a message. */
const PHONE = /(?:\+84|\b0)\d(?:[\s.-]?\d){8,9}\b/;

const words = (folded: string) => folded.split(" ").filter(Boolean).length;

/**
 * "Thôi hủy đi, mai tôi ra phường nói trực tiếp": cancel words, then a reason that neither asks
 * anything nor adds to the complaint ("thôi, cho hỏi…" is a question; "thôi, rác vẫn…" is content).
 */
function cancelsWithReason(text: string): boolean {
  const [first = "", ...rest] = text.split(/[,.;!\n]+/);
  const after = rest.join(" ");
  const folded = foldText(after);
  return isCancel(foldText(first)) && !!folded && !asksQuestion(after, folded) && !isComplaint(after, folded);
}

/** Creates the feedback feature; absent ports.feedback, it is not registered at all. */
export function createFeedbackFeature(kit: Kit, feedback: FeedbackPort): Feature {
  const { t, ports } = kit;
  const cancelRow = (L: Lang): Button[] => [action(t(L, "feedback.cancel"), "fb:cancel")];
  const form = (replies: Reply[]): Reply[] =>
    replies.map((r) => (r.meta ? r : { ...r, meta: { kind: "feedback_form" } }));

  async function start(turn: Turn, draft?: string): Promise<Reply[]> {
    const L = turn.lang;
    const since = new Date(ports.clock.now().getTime() - 24 * 3600_000);
    if ((await feedback.ticketsSince(turn.msg.channel, turn.msg.chatId, since)) >= TICKETS_PER_DAY) {
      return [
        {
          ...kit.menu(turn, t(L, "feedback.limit", { max: TICKETS_PER_DAY })),
          meta: { kind: "feedback_form" },
        },
      ];
    }
    turn.session.fb = { step: "category", category: "", ...(draft ? { draft } : {}) };
    // A photo sent with the complaint as its caption is kept for the ticket.
    if (turn.msg.photo) turn.session.fb.photo = turn.msg.photo.slice(0, 2048);
    return form([
      {
        text: draft
          ? `${t(L, "feedback.intro")}\n\n${t(L, "feedback.draftKept", { draft: plain(draft) })}`
          : t(L, "feedback.intro"),
        buttons: [
          ...CATEGORIES.map((c) => [action(t(L, `feedback.category.${c}`), `fb:c:${c}`)]),
          [action(t(L, "menu.back"), "menu")],
        ],
      },
    ]);
  }

  function prompt(turn: Turn): Reply[] {
    const L = turn.lang;
    const fb = turn.session.fb!;
    switch (fb.step) {
      case "category":
        return form([
          {
            text: t(L, "feedback.intro"),
            buttons: [
              ...CATEGORIES.map((c) => [action(t(L, `feedback.category.${c}`), `fb:c:${c}`)]),
              cancelRow(L),
            ],
          },
        ]);
      case "text":
        return form([
          {
            text: fb.draft
              ? t(L, "feedback.askTextDraft", { draft: plain(fb.draft), max: MAX_TICKET_CHARS })
              : t(L, "feedback.askText", { max: MAX_TICKET_CHARS }),
            buttons: [
              ...(fb.draft && fb.draft.length >= 10 ? [[action(t(L, "feedback.useDraft"), "fb:draft")]] : []),
              cancelRow(L),
            ],
          },
        ]);
      case "photo":
        return form([
          {
            text: t(L, "feedback.askPhoto"),
            buttons: [[action(t(L, "feedback.skipPhoto"), "fb:nophoto")], cancelRow(L)],
          },
        ]);
      case "consent":
        return form([
          {
            text: t(L, "feedback.consent", { days: CONTACT_RETENTION_NOTICE_DAYS }),
            buttons: [
              [action(t(L, "feedback.consentYes"), "fb:contact:yes")],
              [action(t(L, "feedback.consentNo"), "fb:contact:no")],
              cancelRow(L),
            ],
          },
        ]);
      case "name":
        return form([
          {
            text: t(L, "feedback.askName"),
            buttons: [cancelRow(L)],
            // Consent is given at this step: a one-tap card may now fill name and phone (Zalo OA).
            ...(ports.capabilities?.requestsContact(turn.msg.channel) ? { requestContact: true } : {}),
          },
        ]);
      case "phone":
        return form([{ text: t(L, "feedback.askPhone"), buttons: [cancelRow(L)] }]);
      case "confirm": {
        const lines = [
          t(L, "feedback.summary"),
          `${t(L, "feedback.categoryLabel")}: ${t(L, `feedback.category.${fb.category}`)}`,
          `${t(L, "feedback.textLabel")}: ${plain(fb.text ?? "")}`,
        ];
        if (fb.photo) lines.push(t(L, "feedback.withPhoto"));
        lines.push(
          fb.name || fb.phone
            ? `${t(L, "feedback.contactLabel")}: ${plain(fb.name ?? "")} ${plain(fb.phone ?? "")}`
            : t(L, "feedback.anonymous"),
        );
        return form([
          {
            text: lines.join("\n"),
            buttons: [
              [action(t(L, "feedback.sendPublic"), "fb:send:pub")],
              [action(t(L, "feedback.sendPrivate"), "fb:send:priv")],
              cancelRow(L),
            ],
          },
        ]);
      }
    }
  }

  /** Takes what the citizen typed (or the photo they sent) for the current step of the form. */
  function input(turn: Turn, text: string | undefined, photo: string | undefined): Reply[] | undefined {
    const L = turn.lang;
    const fb = turn.session.fb!;
    // Typed text at the photo step is a question like any other; only a photo answers the step.
    if (fb.step === "photo" && !photo) return undefined;
    // A shared contact card counts only once the citizen agreed to give contact details.
    const contact = turn.msg.contact;
    if (contact && (fb.step === "name" || fb.step === "phone")) {
      const phone = contact.phone?.replace(/[\s.()-]/g, "").replace(/^84(?=\d{9,10}$)/, "0");
      if (contact.name) fb.name = contact.name.trim().slice(0, 100);
      if (phone && /^(\+84|0)\d{9,10}$/.test(phone)) fb.phone = phone;
      fb.step = fb.phone ? "confirm" : fb.name ? "phone" : fb.step;
      return prompt(turn);
    }
    if (photo && (fb.step === "text" || fb.step === "photo")) fb.photo = photo.slice(0, 2048);
    if (fb.step === "text") {
      if (!text)
        return photo ? form([{ text: t(L, "feedback.photoKept"), buttons: [cancelRow(L)] }]) : prompt(turn);
      if (text.trim().length < 10)
        return form([{ text: t(L, "feedback.tooShort"), buttons: [cancelRow(L)] }]);
      // The details typed now complete the draft the form started with; nothing typed is lost.
      const typed = text.trim();
      const draft = fb.draft && !foldText(typed).includes(foldText(fb.draft)) ? `${fb.draft}\n` : "";
      fb.text = `${draft}${typed}`.slice(0, MAX_TICKET_CHARS);
      fb.step = fb.photo ? "consent" : "photo";
      return prompt(turn);
    }
    if (fb.step === "photo" && photo) {
      fb.step = "consent";
      return prompt(turn);
    }
    if (fb.step === "name" && text) {
      fb.name = text.trim().slice(0, 100);
      fb.step = "phone";
      return prompt(turn);
    }
    if (fb.step === "phone" && text) {
      // "Số tôi là 0912 345 678": the number wherever it is in the line.
      const phone = (PHONE.exec(text)?.[0] ?? text).replace(/[\s.()-]/g, "");
      if (!/^(\+84|0)\d{9,10}$/.test(phone))
        return form([{ text: t(L, "feedback.badPhone"), buttons: [cancelRow(L)] }]);
      fb.phone = phone;
      fb.step = "confirm";
      return prompt(turn);
    }
    return prompt(turn);
  }

  /**
   * Typed text at the current step: an answer that names a button counts as pressing it, text that is
   * clearly the complaint is taken as its content at any step, and a question (or small talk) gets
   * undefined — it is answered as usual and the form waits.
   */
  async function typed(turn: Turn, text: string, folded: string): Promise<Reply[] | undefined> {
    const fb = turn.session.fb!;
    const complaint = isComplaint(text, folded);
    // A question, small talk, or a short follow-up about a procedure ("các bước", "căn cứ pháp lý").
    const aside =
      !complaint &&
      (ASIDE.test(folded) ||
        WANTS_SERVICE.test(folded) ||
        asksQuestion(text, folded) ||
        !!smallTalkOf(text, folded) ||
        (words(folded) <= 5 && detectFacet(folded) !== undefined));
    // Clearly the complaint: its words, or a long account that asks nothing.
    // (Past the text step only its words count: a long question there is still a question.)
    const early = fb.step === "category" || fb.step === "text";
    const content = !aside && (complaint || (early && words(folded) >= 8));
    const short = words(folded) <= 8;
    const more = () => {
      fb.text = `${fb.text ?? ""}\n${text.trim()}`.trim().slice(0, MAX_TICKET_CHARS);
      return prompt(turn);
    };
    const button = () => {
      const buttons = (prompt(turn)[0]?.buttons ?? [])
        .flat()
        .flatMap((b) => (b.kind === "action" ? [b] : []));
      const i = matchLabel(
        folded,
        buttons.map((b) => b.label),
      );
      return i === undefined ? undefined : kit.press(turn, buttons[i]!.payload);
    };
    const named = CATEGORY_WORDS.find(([, re]) => re.test(folded))?.[0];
    // Only the words of a category ("thái độ, tác phong cán bộ"): the category, not the complaint.
    const category =
      named && folded.split(" ").filter((w) => !CATEGORY_LABEL_WORDS.has(w)).length <= 1 ? named : undefined;
    switch (fb.step) {
      case "category":
        if (category) return kit.press(turn, `fb:c:${category}`);
        // A topic in a few words ("giao thông, đường sá", "trật tự, môi trường"): its category.
        if (named && words(folded) <= 5 && !content && !aside) return kit.press(turn, `fb:c:${named}`);
        if (short && !content) return button();
        if (!content) return undefined;
        // The complaint typed instead of a category: its category is guessed from its words.
        fb.category = categoryOf(folded);
        fb.step = "text";
        return input(turn, text, undefined);
      case "text":
        if (short && fb.draft && (USE_DRAFT.test(folded) || AGREE.test(folded)))
          return kit.press(turn, "fb:draft");
        // A category named again ("nội dung khác") changes it rather than becoming the complaint.
        if (category) {
          fb.category = category;
          return prompt(turn);
        }
        if (aside || (fb.paused && !content)) return undefined;
        return input(turn, text, undefined);
      case "photo":
        // "Không để số điện thoại", "gửi đi, công khai cũng được": the next questions answered at once.
        if (!aside && (CONTACT_WORDS.test(folded) || PUBLIC.test(folded))) {
          fb.step = "consent";
          return typed(turn, text, folded);
        }
        if (short && NO_PHOTO.test(folded)) return kit.press(turn, "fb:nophoto");
        return content ? more() : short && !aside ? button() : undefined;
      case "consent": {
        const phone = PHONE.exec(text)?.[0];
        if (phone) {
          // A number typed at once: consent given, and the rest of the line is the name.
          const name = text
            .replace(phone, " ")
            .replace(/[,;:]+/g, " ")
            .replace(/\s+/g, " ")
            .trim();
          fb.phone = phone.replace(/[\s.-]/g, "");
          if (name && words(foldText(name)) <= 6) fb.name = name.slice(0, 100);
          fb.step = fb.name ? "confirm" : "name";
          return prompt(turn);
        }
        // "Có bắt buộc không?" is a question, even though it ends in "không".
        if (asksQuestion(text, folded) && !complaint) return undefined;
        if (short && !CONTACT_WORDS.test(folded) && (PUBLIC.test(folded) || SEND_NOW.test(folded))) {
          // Sending without a word about contact details: sent without them.
          delete fb.name;
          delete fb.phone;
          fb.step = "confirm";
          return typed(turn, text, folded);
        }
        if (short && NO_CONTACT.test(folded)) return kit.press(turn, "fb:contact:no");
        if (short && YES_CONTACT.test(folded)) return kit.press(turn, "fb:contact:yes");
        return content ? more() : undefined;
      }
      case "name": {
        if (
          short &&
          /^(khong|ko|k|thoi|khoi|bo qua|skip|no|an danh|khong de lai|khong muon)( .*)?$/.test(folded)
        ) {
          delete fb.name;
          delete fb.phone;
          fb.step = "confirm";
          return prompt(turn);
        }
        if (aside && !PHONE.test(text)) return undefined;
        const phone = PHONE.exec(text)?.[0];
        const name = (phone ? text.replace(phone, " ") : text)
          .replace(NAME_LEAD, "")
          .replace(/[,;:]+/g, " ")
          .replace(/\s+/g, " ")
          .trim();
        if (words(foldText(name)) > 7) return content ? more() : undefined;
        if (phone) fb.phone = phone.replace(/[\s.-]/g, "");
        if (!name) return prompt(turn);
        fb.name = name.slice(0, 100);
        fb.step = fb.phone ? "confirm" : "phone";
        return prompt(turn);
      }
      case "phone":
        if (
          short &&
          /^(khong|ko|k|thoi|khoi|bo qua|skip|no|khong co|khong de lai|khong muon)( .*)?$/.test(folded)
        ) {
          delete fb.phone;
          fb.step = "confirm";
          return prompt(turn);
        }
        if (aside && !/\d/.test(text)) return undefined;
        return input(turn, text, undefined);
      case "confirm":
        // "Sửa lại nội dung": the text step again, with what was written as the draft to keep or extend.
        if (short && EDIT.test(folded) && !SEND_NOW.test(folded)) {
          fb.draft = fb.text;
          delete fb.text;
          fb.step = "text";
          return prompt(turn);
        }
        if (short && PUBLIC.test(folded))
          return kit.press(turn, NEGATED.test(folded) ? "fb:send:priv" : "fb:send:pub");
        if (short && SEND.test(folded) && !NEGATED.test(folded)) return kit.press(turn, "fb:send:priv");
        if (short && /\b(rieng tu|an danh|private)\b/.test(folded)) return kit.press(turn, "fb:send:priv");
        return content ? more() : short && !aside ? button() : undefined;
    }
  }

  async function send(turn: Turn, publish: boolean): Promise<Reply[]> {
    const L = turn.lang;
    const fb = turn.session.fb;
    if (!fb?.text || fb.step !== "confirm") return kit.stale(turn);
    const contact = fb.name || fb.phone ? { name: fb.name, phone: fb.phone } : undefined;
    const { code } = await feedback.fileTicket({
      channel: turn.msg.channel,
      chatId: turn.msg.chatId,
      unit: turn.session.unit,
      lang: L,
      category: fb.category,
      text: fb.text,
      photo: fb.photo,
      contact,
      contactConsentVersion: contact ? CONTACT_CONSENT_VERSION : undefined,
      publishConsent: publish,
    });
    delete turn.session.fb;
    return [
      {
        text: t(L, "feedback.filed", { code }),
        buttons: [[action(t(L, "feedback.lookup"), `tk:${code}`)], [action(t(L, "menu.back"), "menu")]],
        meta: { kind: "feedback_filed", item: code },
      },
    ];
  }

  async function lookup(turn: Turn, code: string): Promise<Reply[]> {
    const L = turn.lang;
    const v = await feedback.ticket(code, turn.msg.channel, turn.msg.chatId);
    // Only the chat that filed a ticket sees it: codes are sequential, so anyone could guess one.
    if (!v?.own)
      return [
        {
          text: t(L, "feedback.notFoundHere", { code: code.toUpperCase() }),
          buttons: [[action(t(L, "menu.back"), "menu")]],
          meta: { kind: "ticket_status" },
        },
      ];
    const fmt = (d: Date) =>
      d.toLocaleDateString(L === "en" ? "en-GB" : "vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });
    const lines = [
      `**${v.code}** — ${t(L, `feedback.status.${v.status}`)}`,
      `${t(L, "feedback.categoryLabel")}: ${t(L, `feedback.category.${v.category}`)}`,
      t(L, "feedback.dates", { created: fmt(v.createdAt), due: fmt(v.dueAt) }),
    ];
    if (v.rejectReason) lines.push(t(L, "feedback.reason", { reason: plain(v.rejectReason) }));
    for (const r of v.replies) lines.push("", `💬 ${fmt(r.at)}: ${plain(r.text)}`);
    return [
      {
        text: lines.join("\n"),
        buttons: [[action(t(L, "menu.back"), "menu")]],
        meta: { kind: "ticket_status" },
      },
    ];
  }

  function lookupHelp(turn: Turn): Reply[] {
    return [
      {
        text: t(turn.lang, "feedback.lookupHelp"),
        buttons: [[action(t(turn.lang, "menu.back"), "menu")]],
        meta: { kind: "ticket_status" },
      },
    ];
  }

  return {
    name: "feedback",
    payloads: {
      "m:fb": (turn) => start(turn),
      "m:tk": lookupHelp,
      tk: (turn, [code = ""]) => lookup(turn, code),
      fb: async (turn, [a, b]) => {
        const L = turn.lang;
        if (a === "c" && (CATEGORIES as readonly string[]).includes(b ?? "")) {
          const { draft, photo } = turn.session.fb ?? {};
          turn.session.fb = {
            step: "text",
            category: b!,
            ...(draft ? { draft } : {}),
            ...(photo ? { photo } : {}),
          };
          return prompt(turn);
        }
        if (a === "resume" && turn.session.fb) {
          delete turn.session.fb.paused;
          return prompt(turn);
        }
        if (a === "draft" && turn.session.fb?.step === "text" && turn.session.fb.draft) {
          const fb = turn.session.fb;
          fb.text = fb.draft!.slice(0, MAX_TICKET_CHARS);
          fb.step = fb.photo ? "consent" : "photo";
          return prompt(turn);
        }
        if (a === "cancel") {
          delete turn.session.fb;
          return [{ ...kit.menu(turn, t(L, "feedback.cancelled")), meta: { kind: "menu" } }];
        }
        if (!turn.session.fb) return kit.stale(turn);
        if (a === "nophoto" && turn.session.fb.step === "photo") turn.session.fb.step = "consent";
        else if (a === "contact" && turn.session.fb.step === "consent") {
          turn.session.fb.step = b === "yes" ? "name" : "confirm";
          // Consent refused (again, after an edit): nothing given before is kept.
          if (b !== "yes") {
            delete turn.session.fb.name;
            delete turn.session.fb.phone;
          }
        } else if (a === "send") return send(turn, b === "pub");
        return prompt(turn);
      },
    },
    commands: {
      gopy: (turn) => start(turn),
      phananh: (turn) => start(turn),
      tracuu: (turn, arg) => {
        const code = TICKET_CODE.exec(arg)?.[0];
        return code ? lookup(turn, code) : lookupHelp(turn);
      },
    },
    form: {
      open: (turn) => turn.session.fb !== undefined,
      async input(turn, text, photo) {
        const fb = turn.session.fb!;
        const folded = text ? foldText(text) : "";
        if (text && (isCancel(folded) || cancelsWithReason(text))) {
          delete turn.session.fb;
          return [{ ...kit.menu(turn, t(turn.lang, "feedback.cancelled")), meta: { kind: "menu" } }];
        }
        if (text && isResume(folded)) {
          delete fb.paused;
          return prompt(turn);
        }
        // A shared contact card (Zalo OA one-tap) answers the name and phone steps.
        if (turn.msg.contact && (fb.step === "name" || fb.step === "phone"))
          return input(turn, undefined, undefined);
        // A photo is kept whenever it comes (a later one replaces it); at the photo step it answers it.
        if (photo) {
          delete fb.paused;
          if (fb.step === "text" || fb.step === "photo")
            return input(turn, fb.step === "text" ? text : undefined, photo);
          fb.photo = photo.slice(0, 2048);
          return prompt(turn);
        }
        if (!text) return fb.paused ? undefined : prompt(turn);
        const replies = await typed(turn, text, folded);
        if (replies) delete fb.paused;
        else fb.paused = true; // a question: answered elsewhere, the form waits
        return replies;
      },
      pausedRow: (turn) => [
        action(t(turn.lang, "feedback.resume"), "fb:resume"),
        action(t(turn.lang, "feedback.cancel"), "fb:cancel"),
      ],
    },
    leave(turn, by) {
      // A command leaves the form; another button only pauses it ("tiếp tục" resumes).
      if (by === "command") delete turn.session.fb;
      else if (turn.session.fb) turn.session.fb.paused = true;
    },
    async text(turn, text, folded) {
      const code = TICKET_CODE.exec(text)?.[0];
      if (code) return lookup(turn, code);
      // "Số đường dây nóng phản ánh của tỉnh là gì" asks for a number (the office feature answers).
      if (
        /\b(so|sdt|so dien thoai)\b.*\b(duong day nong|hotline|tong dai)\b|\b(duong day nong|hotline)\b.*\b(la gi|so may|so nao|bao nhieu)\b/.test(
          folded,
        )
      )
        return undefined;
      if (
        /\b(phan anh|phieu|gop y|kien nghi|khieu nai|ticket|complaint|feedback|report|petition)\b/.test(
          folded,
        ) &&
        STATUS.test(folded)
      )
        return lookupHelp(turn);
      // The words typed become the draft when they say more than "I want to complain".
      const said = folded.replace(COMPLAIN, " ").replace(REQUEST_WORDS, " ").trim();
      const draft = text.length > 12 && words(said) >= 2 ? text.slice(0, MAX_TICKET_CHARS) : undefined;
      // "Phản ánh bao lâu thì được trả lời?", "cán bộ đòi tiền thì báo ở đâu?": how and where to report
      // is the FAQ's, searched on its own so that a procedure or guide in discussion does not take it over.
      const where = /\b(o|tai) dau\b/.test(folded) && !/\bo dau (hem|ngo)\b/.test(folded);
      const aboutReporting =
        (COMPLAIN.test(folded) &&
          !WANTS.test(folded) &&
          (HOW_HANDLED.test(folded) ||
            (where && asksCatalogue(folded)) ||
            /\bgui (cho |den |len )?(ai|o dau|dau|noi nao)\b/.test(folded))) ||
        REPORT_WHERE.test(folded);
      if (aboutReporting && !isComplaint(text, folded)) {
        const found = await ports.content.search(text, {
          channel: turn.msg.channel,
          unit: turn.session.unit,
        });
        const top = found.hits[0];
        if (top?.kind === "faq" && found.level !== "none") return kit.press(turn, `q:${top.id.slice(4)}`);
        // "Nhà bên hát karaoke tới 12h đêm ngày nào cũng vậy, phản ánh ở đâu": a problem told, where to
        // report it asked, and no written answer for it. The form is that place: it starts with the
        // problem (without the question) as its draft.
        const told = folded.replace(REPORT_WHERE, " ").replace(/\s+/g, " ").trim();
        if (told !== folded && isComplaint(told, told)) {
          if (turn.session.fb) {
            delete turn.session.fb.paused;
            return prompt(turn);
          }
          const problem = text
            .split(/(?<=[,.;!?\n])/)
            .filter((clause) => !REPORT_WHERE.test(foldText(clause)))
            .join("")
            .replace(/[\s,;]+$/, "")
            .trim();
          return start(turn, problem.slice(0, MAX_TICKET_CHARS) || draft);
        }
        if (COMPLAIN.test(folded)) return undefined;
      }
      if (COMPLAIN.test(folded)) {
        // A form already open (paused by a question) goes on where it was rather than starting again.
        if (turn.session.fb) {
          delete turn.session.fb.paused;
          return prompt(turn);
        }
        return start(turn, draft);
      }
      // A problem or a suggestion told in words ("rác đầu hẻm 1 tuần không ai dọn"): the form, with it as its draft.
      if (!isComplaint(text, folded)) return undefined;
      if (turn.session.fb) {
        delete turn.session.fb.paused;
        return prompt(turn);
      }
      return start(turn, draft);
    },
  };
}
