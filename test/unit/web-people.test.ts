/**
 * The portal's pure helpers for people (web/src/people.ts, web/src/auth-config.ts) and the page's CSP with
 * an identity provider (shared/api/portal-headers.ts). The flows themselves run in Chromium:
 * test/browser/people.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  securityHeaders,
} from "../../shared/api/portal-headers";
import { AUDIT_ACTIONS } from "../../shared/people/audit-record";
import { ROLES } from "../../shared/people/caller";
import { ApiError } from "../../web/src/api";
import { isAuthConfig, isSignInCallback } from "../../web/src/auth-config";
import {
  AUDIT_ACTION_LABELS,
  ROLE_DESCRIPTIONS,
  ROLE_LABELS,
  refusalMessage,
  unitName,
  withUnitNames,
} from "../../web/src/people";

describe("the portal's people helpers", () => {
  it("names every role of shared/people in Vietnamese, each label distinct", () => {
    expect(Object.keys(ROLE_LABELS)).toEqual([...ROLES]);
    expect(Object.keys(ROLE_DESCRIPTIONS)).toEqual([...ROLES]);
    expect(new Set(Object.values(ROLE_LABELS)).size).toBe(ROLES.length);
  });

  it("names every audit action of shared/people in Vietnamese", () => {
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(new Set(Object.values(AUDIT_ACTION_LABELS)).size).toBe(AUDIT_ACTIONS.length);
  });

  it("recognizes the provider's redirect back, success or error, and nothing else", () => {
    expect(isSignInCallback("?code=abc&state=xyz&iss=http%3A%2F%2F127.0.0.1%3A3001")).toBe(true);
    expect(isSignInCallback("?error=access_denied&state=xyz")).toBe(true);
    expect(isSignInCallback("?unit=10621&year=2023")).toBe(false);
    expect(isSignInCallback("?code=abc")).toBe(false);
    expect(isSignInCallback("")).toBe(false);
  });

  it("takes the provider's settings only in the shape GET /v1/auth/config answers", () => {
    const local = {
      issuer: "http://127.0.0.1:3001",
      clientId: "onestop-portal",
      scope: "openid email profile",
    };
    expect(isAuthConfig(local)).toBe(true);
    expect(isAuthConfig({ ...local, resource: "urn:onestop:reports-api" })).toBe(true);
    expect(
      isAuthConfig({ ...local, logoutUrl: "https://x.auth.ap-southeast-1.amazoncognito.com/logout" }),
    ).toBe(true);
    expect(isAuthConfig({ ...local, clientId: undefined })).toBe(false);
    expect(isAuthConfig({ ...local, resource: 7 })).toBe(false);
    expect(isAuthConfig(null)).toBe(false);
  });

  it("keeps unit names from every year viewed, so a merged commune keeps its name", () => {
    const y2023 = withUnitNames(new Map(), {
      provinces: [{ code: "30", name: "Tỉnh Hải Dương" }],
      communes: [{ code: "10621", name: "Xã Quốc Tuấn" }],
    });
    const y2026 = withUnitNames(y2023, {
      provinces: [{ code: "31", name: "Thành phố Hải Phòng" }],
      communes: [],
    });
    expect(unitName("10621", y2026)).toBe("Xã Quốc Tuấn");
    expect(unitName("31", y2026)).toBe("Thành phố Hải Phòng");
    expect(unitName("10618", y2026)).toBe("mã 10618");
    expect(unitName("*", y2026)).toBe("Tất cả đơn vị");
  });

  it("puts an API refusal in words and keeps its code", () => {
    const outside = refusalMessage(new ApiError(403, "forbidden", "unit 01 is outside your grant"));
    expect(outside).toContain("không được");
    expect(outside).toContain("[mã lỗi: forbidden]");
    expect(refusalMessage(new ApiError(401, "unauthorized", "expired"))).toContain("hết hạn");
    expect(refusalMessage(new ApiError(400, "invalid_body", "units: required"))).toContain("units: required");
    expect(refusalMessage(new TypeError("Failed to fetch"))).toContain("Không kết nối được máy chủ");
  });

  it("lets the page reach the identity provider's origin and nothing else beyond its own", () => {
    const withProvider = contentSecurityPolicy(["http://127.0.0.1:3001"]);
    expect(withProvider).toContain("connect-src 'self' http://127.0.0.1:3001;");
    expect(withProvider.replace(" http://127.0.0.1:3001", "")).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    const cognito = [
      "https://cognito-idp.ap-southeast-1.amazonaws.com",
      "https://x.auth.ap-southeast-1.amazoncognito.com",
    ];
    expect(securityHeaders(cognito)["content-security-policy"]).toContain(
      `connect-src 'self' ${cognito.join(" ")};`,
    );
  });
});
