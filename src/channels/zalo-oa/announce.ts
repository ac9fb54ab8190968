/**
 * Announcements to Zalo OA followers, by route (platforms.md, issue 18): a consultation message is free
 * for 48 hours after the citizen's last interaction and billable from 48 hours to 7 days (never allowed
 * after 7 days, `-230`); an approved template message by user id reaches followers outside the free
 * window. Per follower: free consultation (< 48 h); from 48 h to 7 days the template configured for the
 * announcement's type, else a billable consultation when the deployment allows it; otherwise skip with
 * the reason. After 7 days nothing is sent: no source confirms that a template by user id reaches a
 * follower who has not written for that long, and a refused send costs the OA's standing (verify on a
 * real OA before widening). The quota endpoint, when it answers, decides the last interaction.
 */
import type { Reply } from "../../core/types.js";
import type { RateLimiter } from "../outbound/limiter.js";
import type { AnnouncementRouter, SendOutcome } from "../outbound/sender.js";
import { ZaloOaError, type ZaloOaClient } from "./client.js";
import { oaImage, renderZaloOa } from "./render.js";
import { sendOaMessages } from "./sender.js";

/** Free consultation window after the citizen's last interaction. */
export const OA_FREE_WINDOW_MS = 48 * 3600_000;
/** After this, Zalo allows no consultation message at all. */
export const OA_CONSULT_WINDOW_MS = 7 * 24 * 3600_000;
/** Template params are cut to this length (ZBS params have per-template limits; verify on approval). */
const PARAM_LIMIT = 250;

/** One approved template: its id, how announcement fields fill its params, its estimated price. */
export interface OaTemplateConfig {
  templateId: string;
  data: Record<string, "title" | "body" | "date" | "unit" | "link">;
  priceVnd?: number | undefined;
}

export interface OaAnnouncerDeps {
  client: ZaloOaClient;
  limiter: RateLimiter;
  /** Templates by announcement type: "urgent", a topic id, or "default". */
  templates: Readonly<Record<string, OaTemplateConfig>>;
  /** Send billable consultation messages (48 h to 7 days) when no template fits. */
  paidConsultation: boolean;
  /** Estimated price of one billable consultation message, VND. */
  consultPriceVnd: number;
  /** A unit's display name, for templates that name it. */
  unitName: (id: string | undefined) => string;
  now?: () => Date;
}

/** The template for an announcement: urgent first, then its topics in order, then the default. */
export function templateFor(
  templates: Readonly<Record<string, OaTemplateConfig>>,
  a: { urgent: boolean; topics: readonly string[] },
): OaTemplateConfig | undefined {
  const keys = [...(a.urgent ? ["urgent"] : []), ...a.topics, "default"];
  for (const k of keys) if (templates[k]) return templates[k];
  return undefined;
}

function dayVn(d: Date): string {
  return new Intl.DateTimeFormat("vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(d);
}

/** Creates the OA's announcement router, used by the broadcast instead of a plain send. */
export function createOaAnnouncer(deps: OaAnnouncerDeps): AnnouncementRouter {
  const now = deps.now ?? (() => new Date());

  async function lastInteraction(chatId: string, stored: Date): Promise<Date> {
    // The stored time is only what this service saw; Zalo's own record decides when it answers.
    try {
      const q = await deps.client.quota(chatId);
      return q.lastInteraction ?? stored;
    } catch {
      return stored;
    }
  }

  function failed(err: unknown): SendOutcome {
    const detail = (err as Error).message.slice(0, 200);
    if (err instanceof ZaloOaError && err.kind === "unreachable") return { status: "unreachable", detail };
    return { status: "failed", detail };
  }

  async function consult(chatId: string, reply: Reply, imageUrl: string | undefined): Promise<void> {
    await sendOaMessages(deps.client, deps.limiter, chatId, renderZaloOa([reply]), "bulk");
    if (imageUrl)
      await sendOaMessages(
        deps.client,
        deps.limiter,
        chatId,
        [{ message: oaImage({ url: imageUrl }) }],
        "bulk",
      );
  }

  return {
    async announce(chatId, a, reply, sub) {
      const age = now().getTime() - (await lastInteraction(chatId, sub.lastInteractionAt)).getTime();
      const template = templateFor(deps.templates, a);
      try {
        if (age < OA_FREE_WINDOW_MS) {
          await consult(chatId, reply, a.imageUrl);
          return { status: "sent", route: "consultation", costVnd: 0 };
        }
        if (template && age < OA_CONSULT_WINDOW_MS) {
          const values = {
            title: a.title,
            body: a.body,
            date: dayVn(now()),
            unit: deps.unitName(sub.unit),
            link: a.link ?? "",
          };
          const data = Object.fromEntries(
            Object.entries(template.data).map(([param, field]) => [
              param,
              values[field].slice(0, PARAM_LIMIT),
            ]),
          );
          await deps.limiter.acquire("bulk");
          await deps.client.sendTemplate(chatId, template.templateId, data);
          return { status: "sent", route: "template", costVnd: template.priceVnd ?? 0 };
        }
        if (age < OA_CONSULT_WINDOW_MS && deps.paidConsultation) {
          await consult(chatId, reply, a.imageUrl);
          return { status: "sent", route: "paid-consultation", costVnd: deps.consultPriceVnd };
        }
      } catch (err) {
        return failed(err);
      }
      // The route names the reason, so the report can say why in words.
      return age < OA_CONSULT_WINDOW_MS
        ? {
            status: "skipped",
            route: "skip-no-template",
            detail: "outside the free 48-hour window; no template configured for this announcement type",
          }
        : {
            status: "skipped",
            route: "skip-7-days",
            detail:
              "no interaction within 7 days: Zalo allows no consultation message, and no template is sent",
          };
    },
  };
}
