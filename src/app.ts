/** Wires motcua together from a config: store, content, engine, channels and HTTP. Never listens. */
import type { Express } from "express";
import { createFloodGuard } from "./channels/flood.js";
import {
  createTelegramChannel,
  defaultWebhookSecret,
  type TelegramChannel,
} from "./channels/telegram/index.js";
import type { Config } from "./config.js";
import { createContentService, type ContentService } from "./content/service.js";
import { createEngine, type Engine } from "./core/engine.js";
import { createHttpApp } from "./http/server.js";
import { createMetrics, type Metrics } from "./http/metrics.js";
import { createTranslator, type Translator } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { connectStore, DEFAULT_DB_NAME, type Store } from "./store/connect.js";
import type { DirectStore } from "./store/direct.js";
import {
  createPrivacyStore,
  createSessionStore,
  createSubscriptionStore,
} from "./store/conversation-stores.js";
import {
  createDirectUpdateMarks,
  createUpdateMarks,
  processedUpdateModel,
  type UpdateMarks,
} from "./store/models/processed-update.js";
import { parseQuietHours } from "./broadcast/schedule.js";
import { createBroadcastScheduler } from "./broadcast/scheduler.js";
import { createBroadcastService, type BroadcastService } from "./broadcast/service.js";
import { createStaffActions, type StaffActions } from "./admin/actions.js";
import { createAdminApi } from "./admin/api.js";
import { createAuditLog, createStaffService, type StaffService } from "./admin/auth.js";
import { createConsole } from "./admin/console/index.js";
import type { RouteSpec } from "./admin/guard.js";
import { createGuard } from "./admin/guard.js";
import { createDashboard } from "./reports/dashboard.js";
import { createReportService } from "./reports/service.js";
import { staffModel, staffSessionModel, auditModel } from "./store/models/staff.js";
import type { Senders } from "./channels/outbound/sender.js";
import { CONTACT_RETENTION_NOTICE_DAYS } from "./core/engine.js";
import type { ChannelName, IncomingMessage, Reply } from "./core/types.js";
import { createFeedbackService, type FeedbackService } from "./feedback/service.js";
import { scheduleFeedbackJobs } from "./feedback/jobs.js";
import { scheduleHandoffJobs } from "./handoff/jobs.js";
import { scheduleLinkCheck } from "./content/link-job.js";
import { createLinkChecker, type LinkChecker } from "./content/links.js";
import { createHandoffService, type HandoffService } from "./handoff/service.js";
import { handoffModel } from "./store/models/handoff.js";
import { createBatchWriter } from "./store/batch.js";
import { countViews, viewCountModel, type View } from "./store/models/view-count.js";
import { ratingModel } from "./store/models/rating.js";
import { counterModel, ticketModel } from "./store/models/ticket.js";
import { subscriberModel } from "./store/models/subscriber.js";
import { zaloBotEventModel, zaloOaEventModel } from "./store/models/zalo-oa-event.js";
import { deriveSecret } from "./channels/secret.js";
import { createZaloBotClient } from "./channels/zalo-bot/client.js";
import { createZaloBotChannel, type ZaloBotChannel } from "./channels/zalo-bot/index.js";
import { createZaloOaClient } from "./channels/zalo-oa/client.js";
import { createZaloOaChannel, type ZaloOaChannel } from "./channels/zalo-oa/index.js";
import { createOaTokenStore } from "./channels/zalo-oa/tokens.js";

/** A wired application: the pieces main starts and tests drive. */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly http: Express;
  readonly content: ContentService;
  readonly engine: Engine;
  readonly t: Translator;
  readonly telegram: TelegramChannel | undefined;
  readonly zaloOa: ZaloOaChannel | undefined;
  readonly zaloBot: ZaloBotChannel | undefined;
  readonly broadcast: BroadcastService;
  readonly feedback: FeedbackService;
  readonly handoff: HandoffService;
  readonly staff: StaffService;
  /** Every staff write (permission, unit scope, audit), as the console and `/admin/api` run them. */
  readonly staffActions: StaffActions;
  /** The content link checker (daily when enabled; `npm run content:check-links` on demand). */
  readonly links: LinkChecker;
  /** Every staff route and the permission it needs (`/admin/api` and `/admin`). */
  readonly adminRoutes: { api: RouteSpec[]; console: RouteSpec[] };
  /** Writes the buffered analytics (query log, view counters) now; they are batched otherwise. */
  flushAnalytics(): Promise<void>;
  /** Loads content (sample content into an empty store) and starts the channels. */
  start(): Promise<void>;
  /** Stops the channels and closes the store. */
  close(): Promise<void>;
}

/** Optional overrides for tests: a logger writing elsewhere, a faster TTL sweep. */
export interface AppOverrides {
  logger?: Logger;
  ttlIntervalMs?: number;
  /** The clock of conversations and the handoff queue (tests move it past working hours). */
  now?: () => Date;
  /**
   * Observes every turn the engine answers, with the replies' meta (what they are): the dialogue
   * evaluation reads it when it drives the real channels end to end.
   */
  onTurn?: (msg: IncomingMessage, replies: Reply[]) => void;
}

/** Builds the app, e.g. `const app = await createApp(loadConfig())`; then `start()`, and `close()` when done. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const store = await connectStore(config, logger, { ttlIntervalMs: overrides.ttlIntervalMs });
  const metrics = createMetrics();
  // The hottest writes (webhook dedupe, sessions) go straight to the embedded engine when this process
  // runs it; see store/direct.ts.
  const embedded = store.embedded;
  const directStore: DirectStore | undefined = embedded
    ? { run: (cmd) => embedded.engine.run(DEFAULT_DB_NAME, cmd), open: () => !embedded.engine.closed }
    : undefined;
  const content = createContentService({
    connection: store.connection,
    logger,
    contentDir: config.contentDir,
  });
  const t = createTranslator(config.localesDir);
  const subscriptions = createSubscriptionStore(store.connection);
  // Filled once the channels exist; replies, pushes and announcements all go through these.
  const senders: Senders = {};
  const feedback = createFeedbackService({
    connection: store.connection,
    senders,
    t,
    logger,
    salt: config.feedback.salt,
    dueDays: config.feedback.dueDays,
    contactRetentionDays: CONTACT_RETENTION_NOTICE_DAYS,
    onContentChange: () => content.reload(),
    onFiled: config.feedback.notifyTelegram
      ? async (tk) => {
          // Through the Telegram channel's outbound limiter, like every other message (issue 16).
          const group = tk.unit ? config.handoff.telegramGroups[tk.unit] : undefined;
          if (!group || !senders.telegram) return;
          const text = t("vi", "feedback.staffNotice", {
            code: tk.code,
            category: t("vi", `console:tickets.categories.${tk.category}`),
            text: tk.text.length > 200 ? `${tk.text.slice(0, 200)}…` : tk.text,
          });
          const url = config.publicUrl
            ? `${config.publicUrl.replace(/\/$/, "")}/admin/tickets/${tk.code}`
            : "";
          await senders.telegram.send(group, { text: url ? `${text}\n${url}` : text }, "reply");
        }
      : undefined,
  });
  const now = overrides.now ?? (() => new Date());
  const handoff = createHandoffService({
    connection: store.connection,
    senders,
    t,
    logger,
    groups: config.handoff.telegramGroups,
    consoleUnits: config.handoff.consoleUnits,
    idleMinutes: config.handoff.idleMinutes,
    waitMaxMinutes: config.handoff.waitMaxMinutes,
    showStaffNames: config.handoff.showStaffNames,
    units: () => content.bundle().units,
    now,
  });
  const views = viewCountModel(store.connection);
  const viewLog = createBatchWriter<View>({
    write: (batch) => countViews(views, batch),
    onError: (err, lost) => logger.warn({ err, lost }, "views not counted"),
  });
  const flushAnalytics = async () => {
    await Promise.all([viewLog.flush(), content.flushLog()]);
  };
  // One process owns an embedded store's data: sessions can then be cached in memory, written through.
  const sessions = createSessionStore(store.connection, {
    cacheSize: store.embedded ? 50_000 : 0,
    direct: directStore,
  });
  const chatStore = createPrivacyStore(store.connection, sessions);
  const eraseChat = async (channel: ChannelName, chatId: string) => {
    await Promise.all([
      chatStore.deleteChatData(channel, chatId),
      feedback.anonymiseChat(channel, chatId),
      handoff.anonymiseChat(channel, chatId),
    ]);
  };
  const answering = createEngine({
    content: { view: () => content.bundle(), search: (q, ctx) => content.search(q, ctx) },
    sessions,
    subscriptions,
    privacy: { deleteChatData: eraseChat },
    feedback,
    // Offered only where staff watch a queue: a staff Telegram group or the console.
    handoff:
      Object.keys(config.handoff.telegramGroups).length ||
      config.handoff.consoleUnits === "all" ||
      config.handoff.consoleUnits.length
        ? handoff
        : undefined,
    views: { viewed: (v) => viewLog.add({ ...v, at: now() }) },
    // The Zalo OA has a one-tap contact card (request_user_info).
    capabilities: { requestsContact: (channel) => channel === "zalo-oa" && config.zaloOa !== undefined },
    clock: { now },
    t,
  });
  const onTurn = overrides.onTurn;
  const engine: Engine = onTurn
    ? {
        handle: async (msg) => (await engine.handleTurn(msg)).replies,
        async handleTurn(msg) {
          const out = await answering.handleTurn(msg);
          onTurn(msg, out.replies);
          return out;
        },
      }
    : answering;
  const processed = processedUpdateModel(store.connection);
  // Webhook dedupe is the hottest write: straight to the embedded engine when this process runs it.
  const marks: UpdateMarks = directStore
    ? createDirectUpdateMarks(directStore, createUpdateMarks(processed))
    : createUpdateMarks(processed);
  const flood = createFloodGuard(config.flood);
  const telegram = config.telegram
    ? createTelegramChannel({
        token: config.telegram.token,
        apiRoot: config.telegram.apiRoot,
        publicUrl: config.publicUrl,
        webhookSecret: config.telegram.webhookSecret ?? defaultWebhookSecret(config.telegram.token),
        engine,
        t,
        logger,
        marks,
        flood,
        bodyLimit: config.requestBodyLimit,
        ratePerSec: config.rates.telegram,
        staff: handoff.inbound,
      })
    : undefined;
  handoff.setDesk(telegram?.desk);
  const turn = { engine, flood, t, logger };
  const oaTokens = config.zaloOa
    ? createOaTokenStore(
        store.connection,
        { access: config.zaloOa.accessToken, refresh: config.zaloOa.refreshToken },
        {
          onRefreshFailure: (err) => {
            metrics.tokenRefreshFailures.inc({ channel: "zalo-oa" });
            // Whole OAuth details ({error, error_name, error_reason}); never the tokens themselves.
            logger.warn(
              { code: (err as { code?: unknown }).code, details: (err as { details?: unknown }).details },
              "zalo-oa: token refresh failed; still using the current access token",
            );
          },
        },
      )
    : undefined;
  const zaloOa = config.zaloOa
    ? createZaloOaChannel({
        ...turn,
        client: createZaloOaClient({
          apiRoot: config.zaloOa.apiRoot,
          oauthRoot: config.zaloOa.oauthRoot,
          appId: config.zaloOa.appId,
          appSecret: config.zaloOa.appSecret,
          tokens: oaTokens!,
        }),
        download: telegram ? (ref) => telegram.download(ref) : undefined,
        announcements: {
          templates: config.zaloOa.templates,
          paidConsultation: config.zaloOa.paidConsultation,
          consultPriceVnd: config.zaloOa.consultPriceVnd,
          unitName: (id) => content.bundle().units.find((u) => u.id === id)?.name ?? "",
        },
        appId: config.zaloOa.appId,
        secretKey: config.zaloOa.secretKey,
        events: zaloOaEventModel(store.connection),
        subscribers: subscriberModel(store.connection),
        subscriptions,
        defaultUnit: () => {
          const units = content.bundle().units.filter((u) => u.kind !== "province");
          return units.length === 1 ? units[0]!.id : undefined;
        },
        bodyLimit: config.requestBodyLimit,
        ratePerSec: config.rates.zaloOa,
      })
    : undefined;
  const zaloBot = config.zaloBot
    ? createZaloBotChannel({
        ...turn,
        client: createZaloBotClient({ token: config.zaloBot.token, apiRoot: config.zaloBot.apiRoot }),
        publicUrl: config.publicUrl,
        webhookSecret: config.zaloBot.webhookSecret ?? deriveSecret("zalo-bot-webhook", config.zaloBot.token),
        events: zaloBotEventModel(store.connection),
        bodyLimit: config.requestBodyLimit,
        ratePerSec: config.rates.zaloBot,
      })
    : undefined;
  if (telegram) senders.telegram = telegram.sender;
  if (zaloOa) senders["zalo-oa"] = zaloOa.sender;
  if (zaloBot) senders["zalo-bot"] = zaloBot.sender;
  const broadcast = createBroadcastService({
    connection: store.connection,
    senders,
    t,
    logger,
    quietHours:
      config.broadcast.quietHours === "off" ? undefined : parseQuietHours(config.broadcast.quietHours),
    concurrency: config.broadcast.concurrency,
  });
  const scheduler = createBroadcastScheduler(broadcast, logger);
  let stopJobs: (() => Promise<void>) | undefined;
  let stopHandoffJobs: (() => Promise<void>) | undefined;
  const staff = createStaffService({ connection: store.connection });
  const audit = createAuditLog(store.connection);
  const guard = createGuard({ staff, apiToken: config.adminApiToken, publicUrl: config.publicUrl });
  const actions = createStaffActions({
    now,
    audit,
    feedback,
    broadcast,
    handoff,
    content,
    staff,
    citizens: {
      async unitsOf(channel, chatId) {
        const [sub, tickets, handoffs] = await Promise.all([
          subscriberModel(store.connection).findOne({ channel, chatId }, { unit: 1 }).lean(),
          ticketModel(store.connection).find({ channel, chatId }, { unit: 1 }).lean(),
          handoffModel(store.connection).find({ channel, chatId }, { unit: 1 }).lean(),
        ]);
        const units = [sub?.unit, ...tickets.map((x) => x.unit), ...handoffs.map((x) => x.unit)];
        return [...new Set(units.filter((u): u is string => typeof u === "string"))];
      },
      async export(channel, chatId) {
        return {
          ...(await feedback.exportCitizen(channel, chatId)),
          handoffs: await handoff.exportChat(channel, chatId),
        };
      },
      erase: eraseChat,
    },
  });
  const reportSources = {
    satisfaction: feedback.satisfaction.bind(feedback),
    handoffStats: handoff.stats.bind(handoff),
  };
  const reports = createReportService({
    connection: store.connection,
    content: () => content.bundle(),
    sources: reportSources,
    now,
  });
  const adminApi = createAdminApi({
    guard,
    actions,
    feedback,
    broadcast,
    handoff,
    reports,
  });
  const links = createLinkChecker({
    connection: store.connection,
    logger,
    concurrency: config.linkCheck.concurrency,
    timeoutMs: config.linkCheck.timeoutMs,
    origin: config.linkCheck.origin,
  });
  let stopLinkCheck: (() => Promise<void>) | undefined;
  const adminConsole = createConsole({
    t,
    guard,
    staff,
    audit,
    actions,
    content,
    broadcast,
    feedback,
    handoff,
    reports,
    publicUrl: config.publicUrl,
    dashboard: createDashboard({
      connection: store.connection,
      content: () => content.bundle(),
      sources: reportSources,
    }),
    links,
    now,
    channelAlerts: async () => {
      const failed = await oaTokens?.refreshError();
      return failed
        ? [{ key: "alerts.oaRefreshFailed", vars: { at: failed.at.toISOString(), code: failed.code } }]
        : [];
    },
  });
  const http = createHttpApp({
    logger,
    metrics,
    bodyLimit: config.requestBodyLimit,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    ready: () => store.ping(),
    mount: (app) => {
      app.use("/admin/api", adminApi.router);
      app.use("/admin", adminConsole.router);
      telegram?.mount(app);
      zaloOa?.mount(app);
      zaloBot?.mount(app);
    },
  });
  return {
    config,
    logger,
    store,
    metrics,
    http,
    content,
    engine,
    t,
    telegram,
    zaloOa,
    zaloBot,
    broadcast,
    feedback,
    handoff,
    staff,
    staffActions: actions,
    links,
    adminRoutes: { api: adminApi.routes, console: adminConsole.routes },
    flushAnalytics,
    async start() {
      await Promise.all([
        content.start(),
        processed.init(),
        subscriberModel(store.connection).init(),
        ticketModel(store.connection).init(),
        counterModel(store.connection).init(),
        ratingModel(store.connection).init(),
        handoffModel(store.connection).init(),
        views.init(),
        staffModel(store.connection).init(),
        staffSessionModel(store.connection).init(),
        auditModel(store.connection).init(),
      ]);
      await Promise.all([telegram?.start(), zaloOa?.start(), zaloBot?.start()]);
      scheduler.start();
      stopJobs = scheduleFeedbackJobs(feedback, logger);
      stopHandoffJobs = scheduleHandoffJobs(handoff, logger);
      if (config.linkCheck.enabled)
        stopLinkCheck = scheduleLinkCheck(links, () => content.bundle(), config.linkCheck.cron, logger);
    },
    async close() {
      await stopJobs?.();
      await stopHandoffJobs?.();
      await stopLinkCheck?.();
      await scheduler.stop();
      await Promise.all([telegram?.stop(), zaloOa?.stop(), zaloBot?.stop()]);
      // The last analytics batches go before the store closes.
      await flushAnalytics();
      await store.close();
    },
  };
}
