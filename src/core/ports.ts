/**
 * What the engine needs from the outside world, as small interfaces. Content types are described
 * structurally here so the core imports nothing outside itself.
 */
import type { ChannelName, Lang } from "./types.js";

/** A procedure as the engine shows it. */
export interface ProcedureInfo {
  code: string;
  name: string;
  /** Other names residents use, and key phrases (for telling which item a question names). */
  aliases?: string[] | undefined;
  keywords?: string[] | undefined;
  field: string;
  agency: "ubnd-xa" | "cong-an-xa";
  summary: string;
  who?: string | undefined;
  where: string;
  documents: string[];
  processing_time: string;
  fee: string;
  legal_basis: string[];
  online: "toan-trinh" | "mot-phan" | "none";
  online_note?: string | undefined;
  portal_id?: string | undefined;
  steps: string[];
  related: string[];
  verified: boolean;
  unverified: string[];
  en?:
    | {
        name?: string | undefined;
        summary?: string | undefined;
        where?: string | undefined;
        documents?: string[] | undefined;
        processing_time?: string | undefined;
        fee?: string | undefined;
        steps?: string[] | undefined;
      }
    | undefined;
}

export interface GuideInfo {
  slug: string;
  title: string;
  title_en?: string | undefined;
  summary: string;
  body: string;
  links: Array<{ label: string; url: string }>;
  /** false while some of its facts await staff verification (the answer then carries the ⚠️ line). */
  verified?: boolean | undefined;
}

export interface FaqInfo {
  slug: string;
  question: string;
  question_en?: string | undefined;
  answer: string;
  answer_en?: string | undefined;
  related: string[];
  /** The unit whose own answer this is (absent: shared by every unit). */
  unit?: string | undefined;
  /** false while the answer awaits staff verification (the answer then carries the ⚠️ line). */
  verified?: boolean | undefined;
}

export interface UnitInfo {
  id: string;
  name: string;
  name_en?: string | undefined;
  kind: "province" | "ward" | "commune" | "special-zone";
  parent?: string | undefined;
  sample: boolean;
  address?: string | undefined;
  phone?: string | undefined;
  office_hours?: string | undefined;
  working_hours?: Opening[] | undefined;
  closed_dates?: string[] | undefined;
}

/** One opening period of a unit's advisory team, in Vietnam time. */
export interface Opening {
  days: Array<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun">;
  from: string;
  to: string;
}

export interface HotlineInfo {
  id: string;
  unit?: string | undefined;
  label: string;
  label_en?: string | undefined;
  phone: string;
  hours?: string | undefined;
  note?: string | undefined;
  sample: boolean;
}

export interface FieldInfo {
  id: string;
  name: string;
  name_en: string;
}

export interface SurveyLinkInfo {
  id: string;
  unit?: string | undefined;
  label: string;
  url: string;
  sample: boolean;
}

/** A matter that is not the commune's: who handles it (content/referrals.yaml). */
export interface ReferralInfo {
  key: string;
  agency: string;
  agency_en: string;
  handles: string;
  handles_en: string;
  reach: string;
  reach_en: string;
  topics: string[];
  except: string[];
}

/** The content the engine reads (a snapshot; it changes when staff edit content). */
export interface ContentView {
  procedures: ProcedureInfo[];
  guides: GuideInfo[];
  faqs: FaqInfo[];
  fields: FieldInfo[];
  units: UnitInfo[];
  hotlines: HotlineInfo[];
  referrals: ReferralInfo[];
  surveys: { links: SurveyLinkInfo[] };
  portal: { name: string; url: string; procedure_url: string; search_url: string };
}

/** One search answer. */
export interface SearchAnswer {
  hits: Array<{ id: string; kind: "procedure" | "guide" | "faq"; title: string; score: number }>;
  level: "confident" | "unsure" | "none";
  /** The question names the top item whole (one of its names, not a number and a common word). */
  named?: boolean | undefined;
}

export interface ContentPort {
  view(): ContentView;
  /**
   * Searches and logs the query. `followUp` is the item a follow-up question ("phí bao nhiêu?") is
   * about: the bot answers it from that item, so the report does not count it as unanswered.
   */
  search(
    query: string,
    ctx: { channel: ChannelName; unit?: string; followUp?: string },
  ): Promise<SearchAnswer>;
}

/** Conversation state of one chat. */
export interface Session {
  lang?: Lang;
  unit?: string;
  /** The procedure last shown, for follow-up questions ("phí bao nhiêu?"). */
  lastProcedure?: string;
  /** The guide last shown (its slug), when it is the item in discussion ("nộp ở đâu?" asks it again). */
  lastGuide?: string;
  /** What the last question about the office asked, for a follow-up ("chiều nay thì sao?"). */
  lastOffice?: "address" | "hours" | "phone" | "hotlines";
  /** Payloads of the last numbered choices, so "2" selects the second. */
  choices?: string[];
  awaiting?: "delete-confirm";
  /** The feedback form in progress. */
  fb?: {
    step: "category" | "text" | "photo" | "consent" | "name" | "phone" | "confirm";
    category: string;
    /** What the citizen typed when asking to complain ("tôi muốn phản ánh đường ngập nước"). */
    draft?: string;
    /** Set while the citizen does something else; typed text is then not taken until "tiếp tục". */
    paused?: boolean;
    text?: string;
    photo?: string;
    name?: string;
    phone?: string;
  };
  /** The open request to talk to a person (queue or conversation with staff). */
  handoff?: string;
  /** The last questions typed (at most 3, each cut to 200 characters), shown to staff on handoff. */
  recent?: string[];
  /** The rating just given, for an optional comment and the SIPAS questions. */
  rating?: { id: string; step: "rated" | "comment" | "sipas"; next?: number };
  /** Labels of the last reply's buttons (same order as `choices`), so a typed label selects one. */
  labels?: string[];
}

export interface SessionPort {
  get(channel: ChannelName, chatId: string): Promise<Session | undefined>;
  save(channel: ChannelName, chatId: string, session: Session): Promise<void>;
  delete(channel: ChannelName, chatId: string): Promise<void>;
}

/** A chat's subscription to announcements. */
export interface Subscription {
  topics: string[];
  unit?: string | undefined;
  lang: Lang;
}

export interface SubscriptionPort {
  get(channel: ChannelName, chatId: string): Promise<Subscription | undefined>;
  /** Creates or updates the subscription, recording consent (`consentVersion`) when created. */
  subscribe(
    channel: ChannelName,
    chatId: string,
    sub: Subscription & { consentVersion: string },
  ): Promise<void>;
  unsubscribe(channel: ChannelName, chatId: string): Promise<void>;
}

/** A ticket as the citizen may see it. */
export interface TicketView {
  code: string;
  status: "received" | "in_progress" | "answered" | "closed" | "rejected";
  category: string;
  createdAt: Date;
  dueAt: Date;
  rejectReason?: string | undefined;
  /** Staff replies: shown only to the chat that filed the ticket. */
  replies: Array<{ at: Date; text: string }>;
  own: boolean;
}

/** What the citizen's feedback form collects. */
export interface NewTicket {
  channel: ChannelName;
  chatId: string;
  unit?: string | undefined;
  lang: Lang;
  category: string;
  text: string;
  photo?: string | undefined;
  contact?: { name?: string | undefined; phone?: string | undefined } | undefined;
  contactConsentVersion?: string | undefined;
  publishConsent: boolean;
}

/** What a rating is about. */
export type RatingTarget = {
  kind: "procedure" | "ticket" | "service" | "handoff";
  id?: string | undefined;
};

export interface FeedbackPort {
  ticketsSince(channel: ChannelName, chatId: string, since: Date): Promise<number>;
  fileTicket(t: NewTicket): Promise<{ code: string }>;
  ticket(code: string, channel: ChannelName, chatId: string): Promise<TicketView | undefined>;
  /** Records a rating; `duplicate` when this chat already rated this target. */
  rate(r: {
    channel: ChannelName;
    chatId: string;
    unit?: string | undefined;
    target: RatingTarget;
    score: number;
  }): Promise<{ id: string } | "duplicate">;
  comment(ratingId: string, text: string): Promise<void>;
  sipas(ratingId: string, element: string, score: number): Promise<void>;
}

/** Where a citizen stands with the advisory team. */
export type HandoffState =
  | { status: "waiting"; id: string; position: number; etaMinutes: number }
  | { status: "active"; id: string }
  | { status: "ended"; id: string };

/** Talking to a person: the advisory team's queue (see src/handoff). */
export interface HandoffPort {
  /**
   * Whether the unit's team can be reached in chat at all, whether it is in at `at` (opening hours),
   * whether someone is actually on duty (a staff member acted recently), and when it next opens.
   */
  availability(
    unit: string | undefined,
    at: Date,
  ): { reachable: boolean; open: boolean; staffed: boolean; nextOpen?: Date | undefined };
  /** Puts the chat in the unit's queue (or returns its open request); `recent` are its last questions. */
  request(r: {
    channel: ChannelName;
    chatId: string;
    unit: string;
    lang: Lang;
    recent: string[];
  }): Promise<HandoffState>;
  state(id: string): Promise<HandoffState>;
  /** The citizen leaves the queue or ends the conversation. */
  end(id: string): Promise<void>;
  /** Passes a citizen's message to the staff member (or to the waiting request). */
  relay(id: string, m: { text?: string | undefined; photo?: string | undefined }): Promise<void>;
}

/** Counting views of procedures, guides and FAQs; never blocks or fails a reply. */
export interface ViewPort {
  viewed(v: {
    kind: "procedure" | "guide" | "faq";
    id: string;
    channel: ChannelName;
    unit?: string | undefined;
  }): void;
}

/** Removes everything the service holds about a chat (Law 91/2025: deletion on request). */
export interface PrivacyPort {
  deleteChatData(channel: ChannelName, chatId: string): Promise<void>;
}

/** What a channel can do beyond text and buttons, so flows can offer it. */
export interface ChannelCapabilities {
  /**
   * The channel can ask for the citizen's name and phone with one tap (Zalo OA `request_user_info`);
   * the answer arrives as `IncomingMessage.contact`.
   */
  requestsContact(channel: ChannelName): boolean;
}

export interface Clock {
  now(): Date;
}

/** Translation, injected so the core does not depend on i18next. */
export type Translate = (lang: Lang, key: string, vars?: Record<string, unknown>) => string;

/** Everything the engine is given. */
export interface EnginePorts {
  content: ContentPort;
  sessions: SessionPort;
  subscriptions: SubscriptionPort;
  privacy: PrivacyPort;
  /** Absent until the feedback module is wired: its menu items then do not appear. */
  feedback?: FeedbackPort;
  /** Absent when no unit has an advisory team reachable in chat. */
  handoff?: HandoffPort;
  /** Counts what was shown, for the outreach reports (no identity). Optional. */
  views?: ViewPort;
  /** What each channel can do beyond text and buttons. Optional: none then. */
  capabilities?: ChannelCapabilities;
  clock: Clock;
  t: Translate;
}
