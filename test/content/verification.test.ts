/** Marking facts verified or unverified, and counting what still awaits verification, per unit. */
import { describe, expect, it } from "vitest";
import { readContentDir } from "../../src/content/loader.js";
import { procedureSchema } from "../../src/content/schemas.js";
import {
  applyVerification,
  unverifiedByUnit,
  unverifiedFacts,
  verificationCounts,
} from "../../src/content/verification.js";

const read = readContentDir("content");
if (!read.ok) throw new Error("sample content invalid");
const bundle = read.bundle;
const AT = new Date("2026-11-30T03:00:00Z");

describe("applyVerification", () => {
  it("should move a fact out of unverified with who and when, and keep the procedure valid", () => {
    const p = bundle.procedures.find((x) => x.code === "1.004222")!;
    const after = applyVerification(
      p,
      { kind: "procedures", key: p.code, field: "fee", verified: true },
      "ct",
      AT,
    );
    const parsed = procedureSchema.parse(after);
    expect(parsed.unverified).not.toContain("fee");
    expect(parsed.verification.fee).toEqual({ verified_by: "ct", verified_at: "2026-11-30T03:00:00.000Z" });
    expect(parsed.verified).toBe(false);
  });

  it("should make a procedure verified when its last fact is verified, and undo it", () => {
    const p = bundle.procedures.find((x) => x.unverified.length === 1)!;
    const field = p.unverified[0]!;
    const done = procedureSchema.parse(
      applyVerification(p, { kind: "procedures", key: p.code, field, verified: true }, "ct", AT),
    );
    expect(done.verified).toBe(true);
    const undone = procedureSchema.parse(
      applyVerification(done, { kind: "procedures", key: p.code, field, verified: false }, "ct", AT),
    );
    expect(undone).toMatchObject({ verified: false, unverified: [field], verification: {} });
  });

  it("should refuse a field that does not fit the kind", () => {
    const p = bundle.procedures[0]!;
    expect(() =>
      applyVerification(p, { kind: "procedures", key: p.code, field: "item", verified: true }, "ct", AT),
    ).toThrow();
    const g = bundle.guides[0]!;
    expect(() =>
      applyVerification(g, { kind: "guides", key: g.slug, field: "fee", verified: true }, "ct", AT),
    ).toThrow();
  });

  it("should refuse, at load, a fact both unverified and carrying a verification record", () => {
    const p = bundle.procedures.find((x) => x.unverified.includes("fee"))!;
    const r = procedureSchema.safeParse({
      ...p,
      verification: { fee: { verified_by: "x", verified_at: AT.toISOString() } },
    });
    expect(r.success).toBe(false);
  });
});

describe("unverifiedFacts", () => {
  it("should count shared facts for every unit plus each unit's own samples", () => {
    const counts = verificationCounts(bundle);
    const shared = unverifiedFacts(bundle).filter((f) => f.unit === undefined).length;
    expect(shared).toBe(
      counts.unverifiedFacts +
        counts.unverifiedGuides +
        bundle.faqs.filter((f) => !f.verified && !f.unit).length +
        bundle.hotlines.filter((h) => h.sample && !h.unit).length,
    );
    for (const u of unverifiedByUnit(bundle)) {
      const own = unverifiedFacts(bundle, u.unit).filter((f) => f.unit === u.unit);
      expect(u.n, u.unit).toBe(shared + own.length);
      expect(own.length, u.unit).toBeGreaterThan(0); // the sample units ship sample hotlines
    }
  });
});
