/**
 * The staff console at `/admin`: server-rendered pages (work without JavaScript, keyboard-friendly),
 * Vietnamese first, every route behind a permission, every write audited. Pages live in sibling
 * modules; this file holds sign-in, the route helper and the shared plumbing.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { BroadcastService } from "../../broadcast/service.js";
import type { LinkChecker } from "../../content/links.js";
import type { ContentService } from "../../content/service.js";
import type { Lang } from "../../core/types.js";
import { AppError } from "../../errors.js";
import type { FeedbackService } from "../../feedback/service.js";
import type { HandoffService } from "../../handoff/service.js";
import type { Translator } from "../../i18n.js";
import type { DashboardBuilder } from "../../reports/dashboard.js";
import type { ReportService } from "../../reports/service.js";
import { sameSecret } from "../../channels/secret.js";
import { httpError } from "../api.js";
import { ValidationError, type StaffActions } from "../actions.js";
import type { FieldIssue } from "../../content/store.js";
import { can, type Actor, type AuditLog, type StaffService } from "../auth.js";
import {
  actorOf,
  LANG_COOKIE,
  LOGIN_COOKIE,
  readCookie,
  sameOrigin,
  SESSION_COOKIE,
  type createGuard,
  type RouteSpec,
} from "../guard.js";
import { createSignInThrottle, type SignInThrottle } from "../throttle.js";
import { html } from "../../reports/html.js";
import { CONSOLE_CSS, CONSOLE_JS, chartJsPath } from "./assets.js";
import { registerAnnouncementPages } from "./announcements.js";
import { registerAuditPage } from "./audit.js";
import { registerContentPages } from "./content.js";
import { registerDashboard } from "./dashboard.js";
import { makeView, page, type View } from "./layout.js";
import { registerOperationsPages } from "./operations.js";
import { registerReportPages } from "./reports.js";
import { registerStaffPages } from "./staff.js";
import { registerVerificationPages } from "./verification.js";

export interface ConsoleDeps {
  t: Translator;
  guard: ReturnType<typeof createGuard>;
  staff: StaffService;
  audit: AuditLog;
  /** Every write goes through these (permission, unit scope, audit). */
  actions: StaffActions;
  content: ContentService;
  broadcast: BroadcastService;
  feedback: FeedbackService;
  handoff: HandoffService;
  reports: ReportService;
  dashboard: DashboardBuilder;
  /** The content link checker, whose failing links the verification page lists. */
  links?: LinkChecker;
  /** The configured public address: a form posted from it passes the Origin check too. */
  publicUrl?: string | undefined;
  /** Sign-in throttling (a default one when omitted). */
  throttle?: SignInThrottle;
  now?: () => Date;
  /** Channel problems staff must know about (e.g. the Zalo OA token refresh failing), as text keys. */
  channelAlerts?: () => Promise<Array<{ key: string; vars?: Record<string, unknown> }>>;
}

/** A signed-in page's view. */
export type StaffView = View & { actor: Actor };
export type PageHandler = (req: Request, res: Response, v: StaffView) => Promise<void> | void;

/** What page modules register routes with. */
export interface ConsoleContext {
  deps: ConsoleDeps;
  route(method: "get" | "post", path: string, permission: RouteSpec["permission"], h: PageHandler): void;
  /** Redirects after a write (POST → redirect → GET), with a flash message key. */
  done(res: Response, to: string, flash: string): void;
}

/** What a form's action came to: its result, or the problems to show beside the form's fields. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; status: number; problems: FieldIssue[] };

/**
 * Runs a staff action for a form: a problem the staff member can fix (a field, a state that changed
 * meanwhile) comes back as `problems`, so the page is shown again with what was typed (issue 15);
 * anything else (no permission, out of scope) is thrown to the error page.
 */
export async function attempt<T>(f: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, status: 400, problems: err.issues };
    if (err instanceof AppError && (err.status === 409 || err.status === 400))
      return {
        ok: false,
        status: err.status,
        problems: [{ path: "", message: err.message, code: err.code }],
      };
    throw err;
  }
}

/** The language of a console request: the cookie, else Vietnamese. */
function langOf(req: Request): Lang {
  return readCookie(req, LANG_COOKIE) === "en" ? "en" : "vi";
}

const loginSchema = z.object({
  username: z.string().max(64),
  password: z.string().max(200),
  _csrf: z.string().max(100).optional(),
  next: z.string().max(300).optional(),
});

/** Only same-console paths may be a post-login destination. */
const safeNext = (n: string | undefined) => (n && /^\/admin(\/[\w\-./?=&%]*)?$/.test(n) ? n : "/admin");

/** Creates the console router and its route table, e.g. `app.use("/admin", createConsole(deps).router)`. */
export function createConsole(deps: ConsoleDeps): { router: Router; routes: RouteSpec[] } {
  const router = Router();
  const routes: RouteSpec[] = [];
  const { t } = deps;
  const throttle = deps.throttle ?? createSignInThrottle();
  const chartJs = chartJsPath();
  // Secure whenever this request came over https (directly, or through a trusted proxy that says so);
  // a LAN over plain http still signs in.
  const cookieFlags = (req: Request) =>
    `Path=/admin; HttpOnly; SameSite=Strict${req.secure ? "; Secure" : ""}`;

  router.use(express.urlencoded({ extended: false, limit: "256kb", parameterLimit: 500 }));
  router.use(deps.guard.identify);
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });

  const toLogin = (req: Request, res: Response) => {
    if (req.method === "GET") res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
    else res.redirect(303, "/admin/login");
  };
  /** New tickets and waiting chats in the actor's units, shown beside the navigation on every page. */
  const badges = async (actor: Actor): Promise<Record<string, number>> => {
    const unit = actor.units.length ? actor.units : undefined;
    const [tickets, chats] = await Promise.all([
      can(actor, "tickets.view")
        ? deps.feedback.search({ status: "received", unit, limit: 1 }).then((r) => r.total)
        : 0,
      can(actor, "handoffs.view") ? deps.handoff.count({ status: "waiting", unit }) : 0,
    ]);
    return { "/admin/tickets": tickets, "/admin/handoffs": chats };
  };
  const ctx: ConsoleContext = {
    deps,
    route(method, path, permission, h) {
      routes.push({ method, path, permission });
      router[method](path, deps.guard.allow(permission, toLogin), (req, res, next) => {
        const v = makeView(t, langOf(req), actorOf(res), req.path) as StaffView;
        Promise.resolve()
          .then(async () => {
            if (method === "get") v.badges = await badges(v.actor);
          })
          .then(() => h(req, res, v))
          .catch((err: unknown) => next(httpError(err)));
      });
    },
    done(res, to, flash) {
      res.redirect(303, `${to}${to.includes("?") ? "&" : "?"}done=${flash}`);
    },
  };

  // === Assets (public: the login page needs them)
  const asset = (path: string, type: string, body: () => string | Buffer) => {
    routes.push({ method: "get", path, permission: "public" });
    router.get(path, (_req, res) => {
      res.set("Content-Type", type).set("Cache-Control", "public, max-age=3600").send(body());
    });
  };
  asset("/assets/console.css", "text/css; charset=utf-8", () => CONSOLE_CSS);
  asset("/assets/console.js", "text/javascript; charset=utf-8", () => CONSOLE_JS);
  let chartCache: Buffer | undefined;
  asset(
    "/assets/chart.umd.min.js",
    "text/javascript; charset=utf-8",
    () => (chartCache ??= fs.readFileSync(chartJs)),
  );

  // === Language, sign-in, sign-out
  routes.push({ method: "get", path: "/lang/:lang", permission: "public" });
  router.get("/lang/:lang", (req, res) => {
    const lang = req.params.lang === "en" ? "en" : "vi";
    res.set("Set-Cookie", `${LANG_COOKIE}=${lang}; Path=/admin; SameSite=Lax; Max-Age=31536000`);
    // Back to the page the switch was pressed on (named in the link, not read from the Referer).
    res.redirect(303, safeNext(typeof req.query.back === "string" ? req.query.back : undefined));
  });

  /**
   * The sign-in form carries a token that must match its cookie (login CSRF, issue 15): another site
   * cannot sign a browser in to an account of its choosing.
   */
  const loginToken = (req: Request, res: Response) => {
    const cur = readCookie(req, LOGIN_COOKIE);
    const token = cur && /^[A-Za-z0-9_-]{32}$/.test(cur) ? cur : crypto.randomBytes(24).toString("base64url");
    res.append(
      "Set-Cookie",
      `${LOGIN_COOKIE}=${token}; Path=/admin/login; HttpOnly; SameSite=Strict${req.secure ? "; Secure" : ""}; Max-Age=7200`,
    );
    return token;
  };
  const loginPage = (req: Request, res: Response, v: View, problem?: string, status = 200) => {
    const token = loginToken(req, res);
    const next =
      typeof req.query.next === "string" ? req.query.next : (req.body as { next?: string } | undefined)?.next;
    return {
      status,
      body: page(
        v,
        v.tr("login.title"),
        html`<form class="card" method="post" action="/admin/login" style="max-width:420px">
          ${problem ? html`<div class="errors" role="alert">${problem}</div>` : ""}
          <input type="hidden" name="_csrf" value="${token}" />
          <input type="hidden" name="next" value="${safeNext(next)}" />
          <label for="username">${v.tr("login.username")}</label>
          <input id="username" name="username" type="text" autocomplete="username" required autofocus />
          <label for="password">${v.tr("login.password")}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <p><button type="submit">${v.tr("login.submit")}</button></p>
        </form>`,
      ),
    };
  };
  routes.push({ method: "get", path: "/login", permission: "public" });
  router.get("/login", (req, res) => {
    if (actorOf(res)) {
      res.redirect(303, "/admin");
      return;
    }
    const r = loginPage(req, res, makeView(t, langOf(req), undefined, req.path));
    res.status(r.status).type("html").send(r.body);
  });
  routes.push({ method: "post", path: "/login", permission: "public" });
  router.post("/login", (req, res, next) => {
    const v = makeView(t, langOf(req), undefined, req.path);
    const send = (problem: string, status: number) => {
      const r = loginPage(req, res, v, problem, status);
      res.status(r.status).type("html").send(r.body);
    };
    const body = loginSchema.safeParse(req.body);
    if (!body.success) {
      send(v.tr("login.invalid"), 400);
      return;
    }
    const cookieToken = readCookie(req, LOGIN_COOKIE);
    if (
      !sameOrigin(req, deps.publicUrl) ||
      !cookieToken ||
      !body.data._csrf ||
      !sameSecret(body.data._csrf, cookieToken)
    ) {
      send(v.tr("login.expired"), 403);
      return;
    }
    const address = req.ip ?? "?";
    const username = body.data.username.trim().toLowerCase();
    const verdict = throttle.check(address, username);
    if (!verdict.ok) {
      res.set("Retry-After", String(verdict.retryAfterSec));
      send(v.tr("login.wait", { seconds: verdict.retryAfterSec }), 429);
      return;
    }
    (async () => {
      const r = await deps.staff.login(body.data.username, body.data.password);
      if (!r.ok) {
        throttle.fail(address, username);
        // Who tried, from where: the name as typed when it could be one (never the password).
        await deps.audit.record(
          { username: "-", displayName: "-", role: "viewer", units: [], via: "session" },
          "staff.login.failed",
          `staff/${/^[a-z0-9._-]{1,32}$/.test(username) ? username : "?"}`,
          null,
          { address },
        );
        send(v.tr("login.invalid"), 401);
        return;
      }
      throttle.succeed(username);
      const s = await deps.staff.openSession(r.staff);
      await deps.audit.record(
        {
          username: r.staff.username,
          displayName: r.staff.displayName,
          role: r.staff.role,
          units: r.staff.units,
          via: "session",
        },
        "staff.login",
        `staff/${r.staff.username}`,
        null,
        { address },
      );
      res.append(
        "Set-Cookie",
        `${SESSION_COOKIE}=${s.token}; ${cookieFlags(req)}; Expires=${s.expiresAt.toUTCString()}`,
      );
      res.append("Set-Cookie", `${LOGIN_COOKIE}=; Path=/admin/login; Max-Age=0`);
      res.redirect(303, r.staff.mustChangePassword ? "/admin/password" : safeNext(body.data.next));
    })().catch(next);
  });
  ctx.route("post", "/logout", "signed-in", async (req, res) => {
    const sid = readCookie(req, SESSION_COOKIE);
    if (sid) await deps.staff.closeSession(sid);
    res.set("Set-Cookie", `${SESSION_COOKIE}=; ${cookieFlags(req)}; Max-Age=0`);
    res.redirect(303, "/admin/login");
  });

  registerDashboard(ctx);
  registerContentPages(ctx);
  registerAnnouncementPages(ctx);
  registerOperationsPages(ctx);
  registerReportPages(ctx);
  registerStaffPages(ctx);
  registerVerificationPages(ctx);
  registerAuditPage(ctx);

  // Errors as pages, in the staff member's language.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = err instanceof AppError ? err : undefined;
    if (!e) {
      next(err);
      return;
    }
    if (e.code === "PASSWORD_CHANGE_REQUIRED" && req.method === "GET") {
      res.redirect(303, "/admin/password");
      return;
    }
    const v = makeView(t, langOf(req), actorOf(res), req.path);
    const known = ["NOT_FOUND", "FORBIDDEN", "OUT_OF_SCOPE", "CSRF", "VALIDATION_FAILED", "BAD_TRANSITION"];
    const key = known.includes(e.code) ? e.code : "OTHER";
    // Console pages name their message by key ("console:…") or pass it translated; other errors
    // carry English for the API and logs, so a Vietnamese page explains the code in its own words.
    const message = e.messageKey.startsWith("console:")
      ? v.tr(e.messageKey.slice("console:".length))
      : v.lang === "en" || /[À-ỹ]/.test(e.message)
        ? e.message // English, or already written in Vietnamese by the page that threw
        : v.tr(`error.detail.${key}`);
    res
      .status(e.status)
      .type("html")
      .send(
        page(
          v,
          v.tr(`error.${key}`),
          html`<div class="errors" role="alert">
              <p>${message}</p>
              ${
                v.lang === "en" && Array.isArray(e.details)
                  ? html`<ul>
                      ${(e.details as Array<{ field: string; message: string }>).map(
                        (d) => html`<li><code>${d.field}</code>: ${d.message}</li>`,
                      )}
                    </ul>`
                  : ""
              }
            </div>
            <p><a href="/admin">${v.tr("error.home")}</a></p>`,
        ),
      );
  });
  return { router, routes };
}
