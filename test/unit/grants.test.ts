import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../shared/people/audit-record";
import { createAuthenticator, type GrantLookup } from "../../shared/people/authenticate";
import type { Person } from "../../shared/people/caller";
import {
  type Grant,
  grantBodySchema,
  grantsOfUnit,
  isKnownUnit,
  mayAdministerUnit,
  refusalToGrant,
  refusalToRevoke,
  unitWithin,
} from "../../shared/people/grants";
import {
  type GrantRepository,
  putGrant,
  revokeGrant,
  type VersionedGrant,
} from "../../shared/people/manage-grants";

/** The scope rules of granting (docs/people.md#grants) and the grant and revoke use cases. */

const admin = (units: string[]): Pick<Person, "role" | "units"> => ({ role: "admin", units });

describe("scopes over the registry's whole history", () => {
  it("a province covers every commune ever placed in it, the old codes merged in 2025 included", () => {
    // Hải Dương (30): 10618 Hiệp Cát and 10621 Quốc Tuấn, merged into 10633 Trần Phú (Hải Phòng, 31).
    expect(unitWithin(["30"], "10621")).toBe(true);
    expect(unitWithin(["30"], "10618")).toBe(true);
    // The code 10633 also named the old xã Trần Phú of Hải Dương: placed in 30 once.
    expect(unitWithin(["30"], "10633")).toBe(true);
    // The new Hải Phòng (31) holds 10633 since 2025, never the old 10621.
    expect(unitWithin(["31"], "10633")).toBe(true);
    expect(unitWithin(["31"], "10621")).toBe(false);
  });

  it("a commune covers only itself, a province only itself among provinces, `*` everything", () => {
    expect(unitWithin(["10621"], "10621")).toBe(true);
    expect(unitWithin(["10621"], "10618")).toBe(false);
    expect(unitWithin(["10621"], "30")).toBe(false);
    expect(unitWithin(["30"], "01")).toBe(false);
    expect(unitWithin(["30"], "00001")).toBe(false);
    expect(unitWithin(["*"], "00001")).toBe(true);
    expect(unitWithin(["30"], "*")).toBe(false);
  });

  it("knows units from either registry and no others", () => {
    expect(isKnownUnit("10621")).toBe(true); // old only
    expect(isKnownUnit("31")).toBe(true); // new Hải Phòng
    expect(isKnownUnit("30")).toBe(true); // old Hải Dương
    expect(isKnownUnit("99999")).toBe(false);
    expect(isKnownUnit("99")).toBe(false);
  });
});

describe("who may grant what", () => {
  it("an admin grants any role within its units, admin included, and nothing outside", () => {
    expect(refusalToGrant(admin(["30"]), { role: "admin", units: ["10621"] }, undefined)).toBeUndefined();
    expect(refusalToGrant(admin(["30"]), { role: "admin", units: ["30"] }, undefined)).toBeUndefined();
    expect(refusalToGrant(admin(["30"]), { role: "viewer", units: ["10621", "01"] }, undefined)).toMatch(
      /01 .*outside/,
    );
  });

  it("never grants admin above its own scope: a commune admin cannot make a province admin", () => {
    expect(refusalToGrant(admin(["10621"]), { role: "admin", units: ["30"] }, undefined)).toMatch(/outside/);
    expect(refusalToGrant(admin(["10621"]), { role: "admin", units: ["10621"] }, undefined)).toBeUndefined();
  });

  it("cannot change or revoke a grant that names units outside its own (a wider grant)", () => {
    const wider = { role: "admin" as const, units: ["30"] };
    expect(refusalToGrant(admin(["10621"]), { role: "viewer", units: ["10621"] }, wider)).toMatch(/existing/);
    expect(refusalToRevoke(admin(["10621"]), wider)).toMatch(/outside/);
    expect(refusalToRevoke(admin(["30"]), { units: ["10621"] })).toBeUndefined();
  });

  it("only admins grant, revoke, list and read the audit", () => {
    for (const role of ["viewer", "editor", "issuer"] as const) {
      expect(refusalToGrant({ role, units: ["*"] }, { role: "viewer", units: ["10621"] }, undefined)).toMatch(
        /only admins/,
      );
      expect(refusalToRevoke({ role, units: ["*"] }, { units: ["10621"] })).toMatch(/only admins/);
      expect(mayAdministerUnit({ role, units: ["*"] }, "10621")).toBe(false);
    }
    expect(mayAdministerUnit(admin(["30"]), "10618")).toBe(true);
    expect(mayAdministerUnit(admin(["10618"]), "30")).toBe(false);
  });

  it("the body: a known role, 1–40 commune or province codes, no `*` (command line only), nothing else", () => {
    expect(grantBodySchema.safeParse({ role: "editor", units: ["10621", "30"] }).success).toBe(true);
    expect(grantBodySchema.safeParse({ role: "editor", units: ["*"] }).success).toBe(false);
    expect(grantBodySchema.safeParse({ role: "owner", units: ["30"] }).success).toBe(false);
    expect(grantBodySchema.safeParse({ role: "editor", units: [] }).success).toBe(false);
    expect(grantBodySchema.safeParse({ role: "editor", units: ["30"], extra: 1 }).success).toBe(false);
  });

  it("lists for a unit the grants naming a unit within it, never wider ones", () => {
    const grant = (email: string, units: string[]): Grant => ({
      email,
      name: email,
      role: "viewer",
      units,
      grantedBy: "t",
      grantedAt: "t",
      disabled: false,
    });
    const grants = [grant("a", ["10621"]), grant("b", ["30"]), grant("c", ["01"]), grant("d", ["*"])];
    expect(grantsOfUnit(grants, "30").map((g) => g.email)).toEqual(["a", "b"]);
    expect(grantsOfUnit(grants, "10621").map((g) => g.email)).toEqual(["a"]);
  });
});

class MemoryGrants implements GrantRepository, GrantLookup {
  readonly grants = new Map<string, VersionedGrant>();
  readonly audit: AuditRecord[] = [];
  async byEmail(email: string) {
    return this.grants.get(email);
  }
  async bySubject(issuer: string, subject: string) {
    return [...this.grants.values()].find((g) => g.issuer === issuer && g.subject === subject);
  }
  async bind(email: string, issuer: string, subject: string) {
    const grant = this.grants.get(email);
    if (!grant || grant.subject) return false;
    this.grants.set(email, { ...grant, issuer, subject, v: grant.v + 1 });
    return true;
  }
  async save(next: Grant, expected: number, audit: readonly AuditRecord[]) {
    expect(this.grants.get(next.email)?.v ?? 0).toBe(expected);
    this.grants.set(next.email, { ...next, v: expected + 1 });
    this.audit.push(...audit);
  }
  async remove(existing: VersionedGrant, audit: readonly AuditRecord[]) {
    this.grants.delete(existing.email);
    this.audit.push(...audit);
  }
}

const provinceAdmin: Person = {
  issuer: "iss",
  subject: "admin-sub",
  name: "QT",
  role: "admin",
  units: ["30"],
};
const context = { now: new Date("2026-01-02T03:04:05Z"), requestId: "req-1" };

describe("granting and revoking", () => {
  it("a grant writes one audit record per unit, before and after, naming the admin by sub", async () => {
    const repo = new MemoryGrants();
    const actor = { kind: "person", person: provinceAdmin } as const;
    await putGrant(repo, actor, "a@x.vn", { role: "viewer", units: ["10621"] }, context);
    await putGrant(
      repo,
      actor,
      "a@x.vn",
      { role: "editor", units: ["10618"] },
      { ...context, requestId: "req-2" },
    );
    expect(repo.grants.get("a@x.vn")).toMatchObject({
      role: "editor",
      units: ["10618"],
      grantedBy: "admin-sub",
      v: 2,
    });
    expect(repo.audit.map((r) => [r.requestId, r.unit, r.action, r.target])).toEqual([
      ["req-1", "10621", "grant.put", "a@x.vn"],
      ["req-2", "10618", "grant.put", "a@x.vn"],
      ["req-2", "10621", "grant.put", "a@x.vn"],
    ]);
    expect(repo.audit[0]!.by).toEqual({ issuer: "iss", subject: "admin-sub", name: "QT" });
  });

  it("a refused grant or revocation writes nothing", async () => {
    const repo = new MemoryGrants();
    const communeAdmin = { kind: "person", person: { ...provinceAdmin, units: ["10621"] } } as const;
    const refused = await putGrant(repo, communeAdmin, "b@x.vn", { role: "admin", units: ["30"] }, context);
    expect(refused).toMatchObject({ ok: false, reason: "forbidden" });
    await putGrant(
      repo,
      { kind: "operator", name: "ops" },
      "c@x.vn",
      { role: "admin", units: ["30"] },
      context,
    );
    const before = [...repo.audit];
    expect(await revokeGrant(repo, communeAdmin, "c@x.vn", context)).toMatchObject({
      ok: false,
      reason: "forbidden",
    });
    expect(await revokeGrant(repo, communeAdmin, "nobody@x.vn", context)).toMatchObject({
      reason: "not_found",
    });
    expect(repo.audit).toEqual(before);
    expect(repo.grants.has("b@x.vn")).toBe(false);
    expect(repo.grants.has("c@x.vn")).toBe(true);
  });

  it("a grant made without a name is named with a neutral label, never the e-mail, and keeps a name given later", async () => {
    const repo = new MemoryGrants();
    const actor = { kind: "person", person: provinceAdmin } as const;
    await putGrant(repo, actor, "an.nguyen@x.vn", { role: "editor", units: ["10621"] }, context);
    expect(repo.grants.get("an.nguyen@x.vn")?.name).toBe("Người dùng chưa đặt tên");
    await putGrant(
      repo,
      actor,
      "an.nguyen@x.vn",
      { role: "editor", units: ["10621"], name: "Nguyễn An" },
      context,
    );
    await putGrant(repo, actor, "an.nguyen@x.vn", { role: "issuer", units: ["10621"] }, context);
    expect(repo.grants.get("an.nguyen@x.vn")?.name).toBe("Nguyễn An");
  });

  it("the command line may grant `*`, recorded as cli:<operator>", async () => {
    const repo = new MemoryGrants();
    const outcome = await putGrant(
      repo,
      { kind: "operator", name: "ops" },
      "root@x.vn",
      { role: "admin", units: ["*"] },
      context,
    );
    expect(outcome).toMatchObject({ ok: true, grant: { units: ["*"], grantedBy: "cli:ops" } });
    expect(repo.audit[0]).toMatchObject({ unit: "*", by: { issuer: "cli", subject: "ops" } });
  });
});

describe("authentication with grants", () => {
  const token = (sub: string, email?: string) =>
    `h.${Buffer.from(JSON.stringify({ sub, email })).toString("base64url")}.s`;
  function authenticatorOver(repo: MemoryGrants, userinfo: Map<string, string>, calls: string[]) {
    return createAuthenticator({
      readerTokens: { verify: async (t) => (t === "code" ? { scope: { provinces: ["30"] } } : undefined) },
      accessTokens: {
        verify: async (t) => {
          const claims = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()) as {
            sub: string;
            email?: string;
          };
          return { issuer: "iss", subject: claims.sub, ...(claims.email ? { email: claims.email } : {}) };
        },
        verifiedEmail: async (t) => {
          const { sub } = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()) as {
            sub: string;
          };
          calls.push(sub);
          return userinfo.get(sub);
        },
      },
      grants: repo,
    });
  }

  it("binds a grant made by e-mail at the first sign-in, asking userinfo once per person", async () => {
    const repo = new MemoryGrants();
    await putGrant(
      repo,
      { kind: "operator", name: "ops" },
      "cb@x.vn",
      { role: "editor", units: ["10621"], name: "CB" },
      context,
    );
    const calls: string[] = [];
    const auth = authenticatorOver(
      repo,
      new Map([
        ["sub-cb", "CB@X.vn"],
        ["sub-none", "none@x.vn"],
      ]),
      calls,
    );
    const first = await auth.authenticate(`Bearer ${token("sub-cb")}`, context.now);
    expect(first).toMatchObject({
      ok: true,
      caller: { kind: "person", person: { subject: "sub-cb", role: "editor", name: "CB" } },
    });
    expect(repo.grants.get("cb@x.vn")).toMatchObject({ issuer: "iss", subject: "sub-cb" });
    await auth.authenticate(`Bearer ${token("sub-cb")}`, context.now);
    for (let i = 0; i < 3; i++) {
      expect(await auth.authenticate(`Bearer ${token("sub-none")}`, context.now)).toMatchObject({
        status: 403,
        code: "no_grant",
      });
    }
    expect(calls).toEqual(["sub-cb", "sub-none"]);
  });

  it("a grant bound to someone else is not another person's, even with the same e-mail", async () => {
    const repo = new MemoryGrants();
    await putGrant(
      repo,
      { kind: "operator", name: "ops" },
      "cb@x.vn",
      { role: "editor", units: ["10621"] },
      context,
    );
    const auth = authenticatorOver(repo, new Map(), []);
    await auth.authenticate(`Bearer ${token("first", "cb@x.vn")}`, context.now);
    expect(await auth.authenticate(`Bearer ${token("second", "cb@x.vn")}`, context.now)).toMatchObject({
      status: 403,
      code: "no_grant",
    });
  });

  it("a disabled grant answers 403 forbidden at once, whatever token the person holds", async () => {
    const repo = new MemoryGrants();
    const ops = { kind: "operator", name: "ops" } as const;
    await putGrant(repo, ops, "cb@x.vn", { role: "editor", units: ["10621"] }, context);
    const auth = authenticatorOver(repo, new Map(), []);
    const bearer = `Bearer ${token("sub-cb", "cb@x.vn")}`;
    expect(await auth.authenticate(bearer, context.now)).toMatchObject({ ok: true });
    await putGrant(repo, ops, "cb@x.vn", { role: "editor", units: ["10621"], disabled: true }, context);
    expect(await auth.authenticate(bearer, context.now)).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("an access code is a reader-token caller; a missing or unknown one is 401", async () => {
    const auth = authenticatorOver(new MemoryGrants(), new Map(), []);
    expect(await auth.authenticate("Bearer code", context.now)).toMatchObject({
      ok: true,
      caller: { kind: "reader-token" },
    });
    expect(await auth.authenticate("Bearer nope", context.now)).toMatchObject({ status: 401 });
    expect(await auth.authenticate(undefined, context.now)).toMatchObject({ status: 401 });
    expect(await auth.authenticate("Basic abc", context.now)).toMatchObject({ status: 401 });
  });
});
