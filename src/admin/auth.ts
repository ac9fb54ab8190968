/**
 * Staff authentication and authorisation: scrypt password hashes and the password rules, sessions
 * stored in MongoDB behind an opaque cookie, CSRF tokens, roles → permissions, unit scope, and the
 * audit log of every write. Sign-in attempts are throttled in `throttle.ts` (delays, never a lockout).
 */
import crypto from "node:crypto";
import { promisify } from "node:util";
import type { Connection } from "mongoose";
import { z } from "zod";
import {
  auditModel,
  type AuditDoc,
  staffModel,
  staffSessionModel,
  STAFF_ROLES,
  type StaffDoc,
  type StaffRole,
} from "../store/models/staff.js";
import { trusted } from "../store/trusted.js";
import { COMMON_PASSWORDS } from "./common-passwords.js";

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** scrypt cost: N = 2^15, r = 8 (32 MiB of memory per hash), p = 1. */
const SCRYPT = { logN: 15, r: 8, p: 1, keylen: 32 };

/** Hashes a password with scrypt (memory-hard), e.g. `await hashPassword("…")`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize("NFC"), salt, SCRYPT.keylen, {
    N: 2 ** SCRYPT.logN,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: 128 * 1024 * 1024,
  });
  return [
    "scrypt",
    SCRYPT.logN,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString("base64url"),
    hash.toString("base64url"),
  ].join("$");
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, logN, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const got = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64url"), expected.length, {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(got, expected);
}

// === Roles and permissions

const ALL = STAFF_ROLES;
/** Which roles may do what. Every console and API route names one of these. */
export const PERMISSIONS = {
  "dashboard.view": ALL,
  "reports.view": ALL,
  "content.view": ["admin", "editor", "viewer"],
  "content.edit": ["admin", "editor"],
  /** Editing any content item as raw YAML (the console's advanced view). */
  "content.advanced": ["admin"],
  "announcements.view": ["admin", "broadcaster", "viewer"],
  "announcements.send": ["admin", "broadcaster"],
  "tickets.view": ["admin", "handler", "viewer"],
  "tickets.handle": ["admin", "handler"],
  "handoffs.view": ["admin", "handler", "viewer"],
  "handoffs.handle": ["admin", "handler"],
  "citizens.manage": ["admin"],
  "staff.manage": ["admin"],
  "audit.view": ["admin"],
} as const satisfies Record<string, readonly StaffRole[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Who is acting: a signed-in staff member, or the bearer API token (an admin for every unit). */
export interface Actor {
  username: string;
  displayName: string;
  role: StaffRole;
  /** Units in scope; empty = every unit. */
  units: string[];
  staffId?: string;
  /** The session's CSRF token (cookie sessions only). */
  csrf?: string;
  via: "session" | "token";
  /** The password was set by someone else (or printed once): only the password page opens until changed. */
  mustChangePassword?: boolean;
}

export function can(actor: Pick<Actor, "role">, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(actor.role);
}

/** Whether `unit` is in the actor's scope (an item without a unit is visible only to all-unit staff). */
export function inScope(actor: Pick<Actor, "units">, unit: string | undefined): boolean {
  if (!actor.units.length) return true;
  return unit !== undefined && actor.units.includes(unit);
}

/**
 * Whether the actor may address an announcement to `units` (empty = every unit): staff limited to
 * some units must name only theirs.
 */
export function audienceInScope(actor: Pick<Actor, "units">, units: string[]): boolean {
  if (!actor.units.length) return true;
  return units.length > 0 && units.every((u) => actor.units.includes(u));
}

// === Accounts and sessions

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, "3–32 characters: a–z 0–9 . _ -");
export const passwordSchema = z.string().min(10, "at least 10 characters").max(200);

/** Lower case without diacritics (đ → d), for comparing a password with the common ones. */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/\u0111/gi, "d")
    .toLowerCase();

/**
 * The rules of a new password: 10+ characters, not one of the most common passwords, not the
 * username, not one character repeated (issue 15). Messages are the keys' English text.
 */
export function newPasswordSchema(username = "") {
  return passwordSchema.superRefine((pw, ctx) => {
    const f = fold(pw);
    const bare = f.replace(/[^a-z0-9]/g, "");
    if (COMMON_PASSWORDS.has(f) || COMMON_PASSWORDS.has(bare) || /^(.)\1*$/.test(pw))
      ctx.addIssue({ code: "custom", message: "a common password", params: { rule: "common" } });
    else if (username.length >= 3 && f.includes(fold(username)))
      ctx.addIssue({ code: "custom", message: "contains the username", params: { rule: "username" } });
  });
}
export const staffInputSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(STAFF_ROLES),
    units: z
      .array(z.string().regex(/^[a-z0-9-]{1,48}$/))
      .max(50)
      .default([]),
    password: passwordSchema,
  })
  .strict();
export type StaffInput = z.input<typeof staffInputSchema>;

/** A sign-in: the account, or "invalid" alike for an unknown name, a wrong password and a closed account. */
export type LoginResult = { ok: true; staff: StaffDoc } | { ok: false; reason: "invalid" };

export interface StaffService {
  /** Creates an account; `mustChangePassword` when someone else chose (or printed) its password. */
  create(input: StaffInput, opts?: { mustChangePassword?: boolean }): Promise<StaffDoc>;
  list(): Promise<StaffDoc[]>;
  get(id: string): Promise<StaffDoc | undefined>;
  update(
    id: string,
    patch: { role?: StaffRole; units?: string[]; active?: boolean; displayName?: string },
  ): Promise<{ before: StaffDoc; after: StaffDoc } | undefined>;
  /** Sets a password (ends the account's sessions); `mustChange` when it was set by someone else. */
  setPassword(id: string, password: string, opts?: { mustChange?: boolean }): Promise<boolean>;
  /** Whether `password` is the account's current one. */
  checkPassword(id: string, password: string): Promise<boolean>;
  /** Checks a sign-in. Throttling is the caller's (see `throttle.ts`); nothing here locks an account. */
  login(username: string, password: string): Promise<LoginResult>;
  openSession(staff: StaffDoc): Promise<{ token: string; csrf: string; expiresAt: Date }>;
  /** The actor behind a session cookie, or undefined when it is unknown, expired or the account is off. */
  resolve(token: string): Promise<Actor | undefined>;
  closeSession(token: string): Promise<void>;
}

export interface StaffServiceOptions {
  connection: Connection;
  now?: () => Date;
  sessionHours?: number;
}

/** A hash that no password matches, so unknown usernames cost the same time as known ones. */
let decoyHash: Promise<string> | undefined;

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

/** Creates the staff service, e.g. `createStaffService({ connection })`. */
export function createStaffService(opts: StaffServiceOptions): StaffService {
  const Staff = staffModel(opts.connection);
  const Sessions = staffSessionModel(opts.connection);
  const now = opts.now ?? (() => new Date());
  const sessionMs = (opts.sessionHours ?? 8) * 3600_000;
  const byId = (id: string) =>
    /^[0-9a-f]{24}$/.test(id) ? Staff.findById(id).lean() : Promise.resolve(null);

  return {
    async create(input, createOpts = {}) {
      const v = staffInputSchema.parse(input);
      newPasswordSchema(v.username).parse(v.password);
      const doc = await Staff.create({
        username: v.username,
        displayName: v.displayName,
        role: v.role,
        units: v.units,
        passwordHash: await hashPassword(v.password),
        mustChangePassword: createOpts.mustChangePassword ?? false,
      });
      return doc.toObject();
    },
    async list() {
      return Staff.find({}).sort({ username: 1 }).lean();
    },
    async get(id) {
      return (await byId(id)) ?? undefined;
    },
    async update(id, patch) {
      const before = await byId(id);
      if (!before) return undefined;
      const after = await Staff.findOneAndUpdate(
        { _id: before._id },
        { $set: patch },
        { returnDocument: "after" },
      ).lean();
      if (!after) return undefined;
      if (patch.active === false || patch.role !== undefined || patch.units !== undefined)
        await Sessions.deleteMany({ staffId: before._id });
      return { before, after };
    },
    async setPassword(id, password, pwOpts = {}) {
      const pw = passwordSchema.parse(password);
      const doc = await byId(id);
      if (!doc) return false;
      await Staff.updateOne(
        { _id: doc._id },
        {
          $set: { passwordHash: await hashPassword(pw), mustChangePassword: pwOpts.mustChange ?? false },
          $unset: { lockedUntil: "", failedLogins: "" },
        },
      );
      await Sessions.deleteMany({ staffId: doc._id });
      return true;
    },
    async checkPassword(id, password) {
      const doc = await byId(id);
      return Boolean(doc) && (await verifyPassword(password, doc!.passwordHash));
    },
    async login(username, password) {
      const name = usernameSchema.safeParse(username);
      const staff = name.success ? await Staff.findOne({ username: name.data }).lean() : null;
      if (!staff || !staff.active) {
        // Unknown names cost the same time as known ones and get the same answer.
        decoyHash ??= hashPassword(crypto.randomUUID());
        await verifyPassword(password, await decoyHash);
        return { ok: false, reason: "invalid" };
      }
      if (!(await verifyPassword(password, staff.passwordHash))) return { ok: false, reason: "invalid" };
      await Staff.updateOne({ _id: staff._id }, { $set: { lastLoginAt: now() } });
      return { ok: true, staff };
    },
    async openSession(staff) {
      const token = crypto.randomBytes(32).toString("base64url");
      const csrf = crypto.randomBytes(24).toString("base64url");
      const at = now();
      const expiresAt = new Date(at.getTime() + sessionMs);
      await Sessions.create({ _id: sha256(token), staffId: staff._id, csrf, createdAt: at, expiresAt });
      return { token, csrf, expiresAt };
    },
    async resolve(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const s = await Sessions.findById(sha256(token)).lean();
      if (!s || s.expiresAt <= now()) return undefined;
      const staff = await Staff.findById(s.staffId).lean();
      if (!staff?.active) return undefined;
      return {
        username: staff.username,
        displayName: staff.displayName,
        role: staff.role,
        units: staff.units,
        staffId: String(staff._id),
        csrf: s.csrf,
        via: "session",
        mustChangePassword: staff.mustChangePassword === true,
      };
    },
    async closeSession(token) {
      await Sessions.deleteOne({ _id: sha256(token) });
    },
  };
}

// === Audit

export interface AuditLog {
  record(actor: Actor, action: string, target: string, before?: unknown, after?: unknown): Promise<void>;
  list(limit?: number): Promise<AuditDoc[]>;
  /** One page of entries, newest first, by person, action (exact, or `ticket.*` for a group) and time. */
  search(q: AuditQuery): Promise<{ items: AuditDoc[]; total: number }>;
  /** Everyone who has an entry (usernames, "api"). */
  actors(): Promise<string[]>;
}

/** The audit page's filters. */
export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
}

/** Drops secrets (password hashes) from what the audit keeps. */
function auditable(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const plain = JSON.parse(JSON.stringify(value)) as unknown;
  if (plain && typeof plain === "object" && !Array.isArray(plain)) {
    const o = plain as Record<string, unknown>;
    delete o.passwordHash;
    delete o.failedLogins;
    delete o.lockedUntil;
    delete o.mustChangePassword;
  }
  return plain;
}

/** The audit log, e.g. `createAuditLog(connection).record(actor, "content.update", "procedures/1.000656", a, b)`. */
export function createAuditLog(conn: Connection, now: () => Date = () => new Date()): AuditLog {
  const Audit = auditModel(conn);
  return {
    async record(actor, action, target, before, after) {
      await Audit.create({
        at: now(),
        actor: actor.via === "token" ? "api" : actor.username,
        role: actor.role,
        action,
        target,
        before: auditable(before),
        after: auditable(after),
      });
    },
    async list(limit = 200) {
      return Audit.find({}).sort({ at: -1 }).limit(limit).lean();
    },
    async search(q) {
      const filter: Record<string, unknown> = {};
      if (q.actor) filter.actor = q.actor;
      if (q.action?.endsWith(".*"))
        filter.action = trusted({ $regex: `^${q.action.slice(0, -2).replace(/[^a-zA-Z0-9]/g, "\\$&")}\\.` });
      else if (q.action) filter.action = q.action;
      if (q.from || q.to)
        filter.at = trusted({ ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) });
      const [items, total] = await Promise.all([
        Audit.find(filter)
          .sort({ at: -1 })
          .skip(q.skip ?? 0)
          .limit(Math.min(q.limit ?? 50, 200))
          .lean(),
        Audit.countDocuments(filter),
      ]);
      return { items, total };
    },
    async actors() {
      const names: unknown[] = await Audit.distinct("actor");
      return names.map(String).sort();
    },
  };
}
