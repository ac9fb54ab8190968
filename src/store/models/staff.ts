/** Staff accounts of the console, their login sessions, and the audit log of every write. */
import { Schema, type Connection, type Model, type Types } from "mongoose";

export const STAFF_ROLES = ["admin", "editor", "broadcaster", "handler", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffDoc {
  _id: Types.ObjectId;
  /** Lower-case login name. */
  username: string;
  displayName: string;
  role: StaffRole;
  /** Units this account works for; empty = every unit (province level). */
  units: string[];
  /** `scrypt$<logN>$<r>$<p>$<salt>$<hash>` (base64url). */
  passwordHash: string;
  active: boolean;
  /** Set by an admin or printed by `staff:create`: the console opens only the password page until changed. */
  mustChangePassword?: boolean;
  lastLoginAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const staffSchema = new Schema<StaffDoc>(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: STAFF_ROLES, required: true },
    units: { type: [String], default: [] },
    passwordHash: { type: String, required: true },
    active: { type: Boolean, default: true },
    mustChangePassword: { type: Boolean, default: false },
    lastLoginAt: Date,
  },
  { versionKey: false, strictQuery: true, timestamps: true },
);

export interface StaffSessionDoc {
  /** SHA-256 of the cookie's token: a stolen database does not hand out sessions. */
  _id: string;
  staffId: Types.ObjectId;
  csrf: string;
  createdAt: Date;
  expiresAt: Date;
}

const sessionSchema = new Schema<StaffSessionDoc>(
  {
    _id: { type: String, required: true },
    staffId: { type: Schema.Types.ObjectId, required: true, index: true },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true },
);
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface AuditDoc {
  _id: Types.ObjectId;
  at: Date;
  /** Username, or "api" for the bearer token. */
  actor: string;
  role: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, required: true },
    before: Schema.Types.Mixed,
    after: Schema.Types.Mixed,
  },
  { versionKey: false, strictQuery: true, minimize: false },
);
auditSchema.index({ at: -1 });

export function staffModel(conn: Connection): Model<StaffDoc> {
  return (
    (conn.models.Staff as Model<StaffDoc> | undefined) ?? conn.model<StaffDoc>("Staff", staffSchema, "staff")
  );
}

export function staffSessionModel(conn: Connection): Model<StaffSessionDoc> {
  return (
    (conn.models.StaffSession as Model<StaffSessionDoc> | undefined) ??
    conn.model<StaffSessionDoc>("StaffSession", sessionSchema, "staff_sessions")
  );
}

export function auditModel(conn: Connection): Model<AuditDoc> {
  return (
    (conn.models.Audit as Model<AuditDoc> | undefined) ?? conn.model<AuditDoc>("Audit", auditSchema, "audit")
  );
}
