import { describe, expect, it } from "vitest";
import { userinfoEmailOf } from "../../shared/adapters/oidc/access-tokens";

/** The e-mail a grant is bound by, from the provider's userinfo (shared/adapters/oidc/access-tokens.ts). */
describe("the e-mail of a userinfo answer", () => {
  const identities = '[{"providerName":"tinh-a","userId":"x"}]';

  it("accepts a federated person's e-mail that the answer does not say is unverified", () => {
    expect(userinfoEmailOf({ email: "a@x.vn", identities })).toBe("a@x.vn");
    expect(userinfoEmailOf({ email: "a@x.vn", identities: [{ providerName: "tinh-a" }] })).toBe("a@x.vn");
    expect(userinfoEmailOf({ email: "a@x.vn", email_verified: "true", identities })).toBe("a@x.vn");
  });

  it("refuses a federated person's e-mail that the answer says is unverified", () => {
    expect(userinfoEmailOf({ email: "a@x.vn", email_verified: "false", identities })).toBeUndefined();
    expect(userinfoEmailOf({ email: "a@x.vn", email_verified: false, identities })).toBeUndefined();
  });

  it("accepts a local person's e-mail only when it is said to be verified", () => {
    expect(userinfoEmailOf({ email: "a@x.vn", email_verified: true })).toBe("a@x.vn");
    expect(userinfoEmailOf({ email: "a@x.vn" })).toBeUndefined();
    expect(userinfoEmailOf({ email: "a@x.vn", identities: "[]" })).toBeUndefined();
  });
});
