/**
 * The only reader of `process.env`: validates every setting with zod, reports all problems at once
 * and returns a frozen configuration object.
 */
import path from "node:path";
import cron from "node-cron";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();

/** An optional setting where an empty string means unset. */
function emptyAsUnset(schema: z.ZodString) {
  return z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(schema.optional())
    .optional();
}

/**
 * The OA needs both secrets: the App Secret Key (app's basic-information page) signs the OAuth refresh,
 * the OA Secret Key (app's Webhook page) signs webhooks (platforms.md, chatwoot's zalo_oa.rb and
 * zalo_events_job.rb). With one variable for both, either every webhook or the first refresh fails.
 */
const OA_KEYS = [
  "ZALO_OA_APP_ID",
  "ZALO_APP_SECRET",
  "ZALO_OA_SECRET_KEY",
  "ZALO_OA_ACCESS_TOKEN",
  "ZALO_OA_REFRESH_TOKEN",
] as const;

const OA_KEY_HELP: Record<(typeof OA_KEYS)[number], string> = {
  ZALO_OA_APP_ID: "the app id (developers.zalo.me, the app's basic information)",
  ZALO_APP_SECRET:
    "the App Secret Key (developers.zalo.me, the app's basic information), used to refresh the OA token",
  ZALO_OA_SECRET_KEY:
    "the OA Secret Key (developers.zalo.me, the app's Webhook page), used to check webhook signatures",
  ZALO_OA_ACCESS_TOKEN: "the OA access token from the OAuth consent",
  ZALO_OA_REFRESH_TOKEN: "the OA refresh token from the OAuth consent",
};

/** One approved template per announcement type: its id and how announcement fields fill its params. */
const oaTemplatesSchema = z.record(
  z.string().regex(/^[a-z0-9-]{1,48}$/, "an announcement type: default, urgent or a topic id"),
  z
    .object({
      templateId: z.string().regex(/^\d{1,20}$/, "the numeric template id"),
      data: z.record(z.string().min(1).max(64), z.enum(["title", "body", "date", "unit", "link"])),
      /** Estimated price of one message in VND (for the delivery report). */
      priceVnd: z.number().min(0).max(100_000).optional(),
    })
    .strict(),
);
/** The OA template setting, parsed. */
export type OaTemplates = Readonly<z.infer<typeof oaTemplatesSchema>>;

const oaTemplatesEnv = z
  .string()
  .trim()
  .default("")
  .transform((v, ctx) => {
    if (v === "") return {};
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'must be JSON, like {"default":{"templateId":"123","data":{"title":"title"}}}',
      });
      return z.NEVER;
    }
  })
  .pipe(oaTemplatesSchema);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATA_FSYNC: booleanish.default(false),
  MONGODB_URI: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://")
        .optional(),
    )
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  PUBLIC_URL: optionalUrl,
  CONTENT_DIR: z.string().min(1).default("./content"),
  REQUEST_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, "like 100kb or 1mb")
    .default("256kb"),
  LOCALES_DIR: z.string().min(1).default("./locales"),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "looks like 123456:ABC… (from @BotFather)")
        .optional(),
    )
    .optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 characters of A–Z a–z 0–9 _ -")
    .optional(),
  ZALO_OA_APP_ID: emptyAsUnset(z.string().regex(/^\d{1,32}$/, "the numeric app id")),
  ZALO_APP_SECRET: emptyAsUnset(z.string().min(8).max(256)),
  ZALO_OA_SECRET_KEY: emptyAsUnset(z.string().min(8).max(256)),
  ZALO_OA_TEMPLATES: oaTemplatesEnv,
  ZALO_OA_CONSULT_PRICE_VND: z.coerce.number().min(0).max(100_000).default(0),
  ZALO_OA_PAID_CONSULTATION: booleanish.default(false),
  ZALO_OA_ACCESS_TOKEN: emptyAsUnset(z.string().min(8).max(4096)),
  ZALO_OA_REFRESH_TOKEN: emptyAsUnset(z.string().min(8).max(4096)),
  ZALO_OA_API_ROOT: z.url().default("https://openapi.zalo.me"),
  ZALO_OAUTH_API_ROOT: z.url().default("https://oauth.zaloapp.com"),
  ZALO_BOT_TOKEN: emptyAsUnset(z.string().regex(/^\d+:[A-Za-z0-9_-]{8,}$/, "looks like <bot_id>:<secret>")),
  ZALO_BOT_WEBHOOK_SECRET: emptyAsUnset(z.string().min(8).max(256)),
  ZALO_BOT_API_ROOT: z.url().default("https://bot-api.zaloplatforms.com"),
  TELEGRAM_RATE_PER_SEC: z.coerce.number().min(0.1).max(1000).default(30),
  ZALO_OA_RATE_PER_SEC: z.coerce.number().min(0.1).max(1000).default(10),
  ZALO_BOT_RATE_PER_SEC: z.coerce.number().min(0.1).max(1000).default(10),
  QUIET_HOURS: z
    .string()
    .regex(/^(\d{1,2}:\d{2}-\d{1,2}:\d{2}|off)$/, "like 21:00-07:00, or off")
    .default("21:00-07:00"),
  BROADCAST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  TICKET_DUE_DAYS: z.coerce.number().int().min(1).max(90).default(10),
  TICKET_NOTIFY_TELEGRAM: booleanish.default(false),
  PRIVACY_SALT: z.string().min(8).default("motcua-default-salt-change-me"),
  ADMIN_API_TOKEN: emptyAsUnset(z.string().min(24, "at least 24 characters")),
  METRICS_TOKEN: emptyAsUnset(z.string().min(24, "at least 24 characters")),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^$|^(false|true|\d{1,2}|[\w.:/-]+(,[\w.:/-]+)*)$/,
      "false, true, a number of hops, or addresses/subnets separated by commas (e.g. loopback,10.0.0.5)",
    )
    .default(""),
  FLOOD_BURST: z.coerce.number().int().min(1).max(1000).default(12),
  FLOOD_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(2),
  HANDOFF_TELEGRAM_GROUPS: z
    .string()
    .trim()
    .regex(
      /^$|^[a-z0-9-]{1,48}=-?\d{1,20}(,[a-z0-9-]{1,48}=-?\d{1,20})*$/,
      "unit=chat id pairs, like phuong-hoa-an=-1001234567890,xa-tan-loc=-1009876543210",
    )
    .default(""),
  HANDOFF_CONSOLE_UNITS: z
    .string()
    .trim()
    .regex(/^$|^\*$|^[a-z0-9-]{1,48}(,[a-z0-9-]{1,48})*$/, "* (every unit) or unit ids separated by commas")
    .default(""),
  HANDOFF_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  HANDOFF_WAIT_MAX_MINUTES: z.coerce.number().int().min(5).max(10080).default(480),
  HANDOFF_SHOW_STAFF_NAMES: booleanish.default(false),
  LINK_CHECK_ENABLED: booleanish.optional(),
  LINK_CHECK_CRON: z
    .string()
    .trim()
    .refine((v) => cron.validate(v), "a cron expression like 30 3 * * *")
    .default("30 3 * * *"),
  LINK_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  LINK_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LINK_CHECK_ORIGIN: optionalUrl,
});

/** The validated, frozen settings of one motcua process. */
export type Config = Readonly<{
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  dataFsync: boolean;
  mongodbUri: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  publicUrl: string | undefined;
  contentDir: string;
  requestBodyLimit: string;
  localesDir: string;
  telegram: { token: string; apiRoot: string; webhookSecret: string | undefined } | undefined;
  flood: { burst: number; perSecond: number };
  rates: { telegram: number; zaloOa: number; zaloBot: number };
  broadcast: { quietHours: string; concurrency: number };
  /** The daily content link check (issue 20); off in tests unless pointed at a local stand-in. */
  linkCheck: {
    enabled: boolean;
    cron: string;
    concurrency: number;
    timeoutMs: number;
    origin: string | undefined;
  };
  feedback: {
    dueDays: number;
    salt: string;
    /** Tell the unit's staff Telegram group (HANDOFF_TELEGRAM_GROUPS) about each new ticket. */
    notifyTelegram: boolean;
  };
  handoff: {
    /** The staff Telegram group of each unit, by unit id. */
    telegramGroups: Readonly<Record<string, string>>;
    /** Units whose queue staff answer in the console: every unit, or these. */
    consoleUnits: "all" | readonly string[];
    idleMinutes: number;
    waitMaxMinutes: number;
    showStaffNames: boolean;
  };
  adminApiToken: string | undefined;
  /** Bearer token that may read `/metrics` from other hosts (loopback always may). */
  metricsToken: string | undefined;
  /**
   * Which reverse proxies' `X-Forwarded-*` headers to believe (express's "trust proxy"): false (none,
   * the default), true (any: only behind a proxy that overwrites them), a hop count, or addresses.
   */
  trustProxy: boolean | number | string;
  zaloOa:
    | {
        appId: string;
        /** App Secret Key: the `secret_key` header of the OAuth refresh. */
        appSecret: string;
        /** OA Secret Key: the webhook signature. */
        secretKey: string;
        accessToken: string;
        refreshToken: string;
        apiRoot: string;
        oauthRoot: string;
        /** Approved template messages per announcement type (for followers outside the free window). */
        templates: OaTemplates;
        /** Estimated price of one billable consultation message (48 h to 7 days), VND. */
        consultPriceVnd: number;
        /** Announce by billable consultation (48 h to 7 days) when no template fits; else skip. */
        paidConsultation: boolean;
      }
    | undefined;
  zaloBot: { token: string; webhookSecret: string | undefined; apiRoot: string } | undefined;
}>;

/** Thrown by {@link loadConfig} with every invalid setting listed in `problems`. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Reads and validates the environment, e.g. `loadConfig()` in main or `loadConfig({ PORT: "0" })` in tests.
 * Throws {@link ConfigError} naming every bad key at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const oaSet = OA_KEYS.filter((k) => e[k] !== undefined);
  if (oaSet.length > 0 && oaSet.length < OA_KEYS.length) {
    throw new ConfigError(
      OA_KEYS.filter((k) => e[k] === undefined).map(
        (k) => `${k}: required when the Zalo OA is configured: ${OA_KEY_HELP[k]}`,
      ),
    );
  }
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    dataFsync: e.DATA_FSYNC,
    mongodbUri: e.MONGODB_URI,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    contentDir: path.resolve(e.CONTENT_DIR),
    requestBodyLimit: e.REQUEST_BODY_LIMIT,
    localesDir: path.resolve(e.LOCALES_DIR),
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
        }
      : undefined,
    flood: { burst: e.FLOOD_BURST, perSecond: e.FLOOD_PER_SECOND },
    broadcast: { quietHours: e.QUIET_HOURS, concurrency: e.BROADCAST_CONCURRENCY },
    feedback: { dueDays: e.TICKET_DUE_DAYS, salt: e.PRIVACY_SALT, notifyTelegram: e.TICKET_NOTIFY_TELEGRAM },
    linkCheck: {
      enabled: e.LINK_CHECK_ENABLED ?? (e.NODE_ENV !== "test" || e.LINK_CHECK_ORIGIN !== undefined),
      cron: e.LINK_CHECK_CRON,
      concurrency: e.LINK_CHECK_CONCURRENCY,
      timeoutMs: e.LINK_CHECK_TIMEOUT_MS,
      origin: e.LINK_CHECK_ORIGIN,
    },
    handoff: {
      telegramGroups: Object.fromEntries(
        e.HANDOFF_TELEGRAM_GROUPS.split(",")
          .filter(Boolean)
          .map((pair) => pair.split("=") as [string, string]),
      ),
      consoleUnits:
        e.HANDOFF_CONSOLE_UNITS === "*"
          ? ("all" as const)
          : e.HANDOFF_CONSOLE_UNITS.split(",").filter(Boolean),
      idleMinutes: e.HANDOFF_IDLE_MINUTES,
      waitMaxMinutes: e.HANDOFF_WAIT_MAX_MINUTES,
      showStaffNames: e.HANDOFF_SHOW_STAFF_NAMES,
    },
    adminApiToken: e.ADMIN_API_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    trustProxy:
      e.TRUST_PROXY === "" || e.TRUST_PROXY === "false"
        ? false
        : e.TRUST_PROXY === "true"
          ? true
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY,
    rates: {
      telegram: e.TELEGRAM_RATE_PER_SEC,
      zaloOa: e.ZALO_OA_RATE_PER_SEC,
      zaloBot: e.ZALO_BOT_RATE_PER_SEC,
    },
    zaloOa:
      e.ZALO_OA_APP_ID &&
      e.ZALO_APP_SECRET &&
      e.ZALO_OA_SECRET_KEY &&
      e.ZALO_OA_ACCESS_TOKEN &&
      e.ZALO_OA_REFRESH_TOKEN
        ? {
            appId: e.ZALO_OA_APP_ID,
            appSecret: e.ZALO_APP_SECRET,
            secretKey: e.ZALO_OA_SECRET_KEY,
            accessToken: e.ZALO_OA_ACCESS_TOKEN,
            refreshToken: e.ZALO_OA_REFRESH_TOKEN,
            apiRoot: e.ZALO_OA_API_ROOT,
            oauthRoot: e.ZALO_OAUTH_API_ROOT,
            templates: e.ZALO_OA_TEMPLATES,
            consultPriceVnd: e.ZALO_OA_CONSULT_PRICE_VND,
            paidConsultation: e.ZALO_OA_PAID_CONSULTATION,
          }
        : undefined,
    zaloBot: e.ZALO_BOT_TOKEN
      ? { token: e.ZALO_BOT_TOKEN, webhookSecret: e.ZALO_BOT_WEBHOOK_SECRET, apiRoot: e.ZALO_BOT_API_ROOT }
      : undefined,
  });
}
