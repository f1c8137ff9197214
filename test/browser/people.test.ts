import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from "../../local/demo-people";
import { type LocalStack, PROJECT_ROOT, startLocalStack } from "../../local/stack";
import { ensureWebBuilt } from "../../local/web-build";
import { findCommune, findProvince } from "../../shared/units/registry";
import { ROLE_LABELS } from "../../web/src/people";
import { seriousViolations } from "../support/axe";
import { type Chromium, launchChromium } from "../support/browser";
import { seedCommuneYear } from "../support/seed-intake";

const YEAR = 2023;
const ON = `${YEAR}-12-14`;
const COMMUNE = "10621";
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";

/** Signs in at the provider, but this product has no grant for them. */
const WITHOUT_GRANT = {
  username: "khach.haiduong",
  password: "another-password",
  name: "Cán bộ chưa được cấp quyền",
  email: "khach.haiduong@demo.example.org",
};

let stack: LocalStack;
let browser: Chromium;
let providerOrigin: string;

beforeAll(async () => {
  ensureWebBuilt();
  stack = await startLocalStack({
    port: 0,
    setProcessEnv: true,
    oidc: { accounts: [...DEMO_PEOPLE, WITHOUT_GRANT] },
  });
  if (!stack.oidc) throw new Error("the local stack started without its OpenID provider");
  providerOrigin = new URL(stack.oidc.issuer).origin;
  await seedCommuneYear(stack.url, { communeCode: COMMUNE, year: YEAR, dossiers: 40 });
  browser = await launchChromium();
  browser.context.setDefaultTimeout(60_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const person = (username: string): DemoPerson => {
  const found = DEMO_PEOPLE.find((p) => p.username === username);
  if (!found) throw new Error(`no demo person ${username}`);
  return found;
};

/** A unit's name in the registry of the test's year (what /v1/units answers for it). */
const unitName = (code: string) =>
  code.length === 5 ? findCommune(code, ON)?.name : findProvince(code, ON)?.name;

/** A new tab with no provider session left from another test. */
async function openPage(query = ""): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.goto(`${stack.url}/${query}`);
  return page;
}

/** "Đăng nhập" on the portal, then the provider's own page: user name, password, submit. */
async function signInAtProvider(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.click("#person-sign-in");
  await page.waitForURL((url) => url.origin === providerOrigin);
  await page.fill('input[type="text"]', username);
  await page.fill('input[type="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.origin === stack.url && !url.searchParams.has("code"));
}

const accountText = (page: Page, what: "name" | "role" | "units") =>
  page.textContent(`[data-account="${what}"]`).then((text) => text?.trim());

/** The names the unit picker lists when nothing is typed (a person's scope is small). */
const pickerNames = (page: Page) =>
  page.$$eval("#unit-results a", (links) => links.map((a) => a.textContent?.trim() ?? ""));

describe("people sign in as themselves in the portal", () => {
  for (const demo of DEMO_PEOPLE) {
    it(`signs in through the provider's page as ${demo.username} and shows the name, role and units of the grant`, async () => {
      const page = await openPage(`?year=${YEAR}`);
      await signInAtProvider(page, demo.username);
      await page.waitForSelector('[data-account="name"]');
      expect(await accountText(page, "name")).toBe(demo.name);
      expect(await accountText(page, "role")).toBe(ROLE_LABELS[demo.role]);
      await page.waitForSelector("#unit-results a");
      // The header learns the units' names from the same answer, one render after the list.
      await expect
        .poll(() => accountText(page, "units"), { timeout: 5_000 })
        .toBe(demo.units.map(unitName).join(", "));
      // The deep link survived the round trip through the provider.
      expect(new URL(page.url()).searchParams.get("year")).toBe(String(YEAR));
      // Only the admin is offered the grants page.
      expect(await page.locator("text=Quản lý quyền").count()).toBe(demo.role === "admin" ? 1 : 0);
      await page.close();
    });
  }

  it("shows ct.quoctuan only Xã Quốc Tuấn in the unit picker, opens its figures with the access token, and keeps the tokens in sessionStorage only", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    await signInAtProvider(page, "ct.quoctuan");
    await page.waitForSelector('[data-table="form-ii06a"] tfoot tr');
    expect(await page.textContent("h1")).toBe(unitName(COMMUNE));
    expect(await pickerNames(page)).toEqual([unitName(COMMUNE)]);
    const stored = (await page.evaluate(
      "({ keys: Object.keys(sessionStorage), local: localStorage.length, cookies: document.cookie })",
    )) as { keys: string[]; local: number; cookies: string };
    expect(stored.local).toBe(0);
    expect(stored.cookies).toBe("");
    expect(stored.keys.some((key) => key.startsWith("portal.oidc.user:"))).toBe(true);
    // The code and state are gone from the address bar; the view is the deep link's.
    expect(new URL(page.url()).search).toBe(`?unit=${COMMUNE}&year=${YEAR}`);
    expect(await seriousViolations(page)).toEqual([]);
    if (SCREENSHOTS) {
      await page.setViewportSize({ width: 1280, height: 640 });
      await page.screenshot({ path: path.join(PROJECT_ROOT, "docs/images/portal-signed-in.png") });
    }
    await page.close();
  });

  it("signs out, which ends the provider's session too, and signs back in with the password", async () => {
    const page = await openPage();
    await signInAtProvider(page, "vp.haiduong");
    await page.waitForSelector('[data-account="name"]');
    await page.click("text=Đăng xuất");
    await page.waitForURL((url) => url.origin === stack.url);
    await page.waitForSelector("#person-sign-in");
    expect(
      await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("portal.oidc.user:"))'),
    ).toEqual([]);
    // The provider asks for the password again: its session ended with the portal's.
    await page.click("#person-sign-in");
    await page.waitForURL((url) => url.origin === providerOrigin);
    expect(await page.locator('input[type="password"]').count()).toBe(1);
    await page.fill('input[type="text"]', "vp.haiduong");
    await page.fill('input[type="password"]', DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-account="name"]');
    expect(await accountText(page, "name")).toBe(person("vp.haiduong").name);
    await page.close();
  });

  it("tells a signed-in person without a grant to ask the province's admin, and signs them out", async () => {
    const page = await openPage();
    await signInAtProvider(page, WITHOUT_GRANT.username, WITHOUT_GRANT.password);
    const alert = page.locator('.no-grant [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("quản trị viên của tỉnh");
    // With the e-mail they signed in with, which the admin needs to grant them a role.
    expect(await alert.textContent()).toContain(WITHOUT_GRANT.email);
    expect(await page.locator("#unit-search").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click("text=Đăng xuất");
    await page.waitForSelector("#person-sign-in");
    await page.close();
  });

  it("lets the admin grant a role by e-mail with the keyboard, lists it with its audit record, shows a refusal in words, and revokes it", async () => {
    const admin = person("qt.haiduong");
    const grantee = "moi.quoctuan@demo.example.org";
    const page = await openPage(`?year=${YEAR}`);
    await signInAtProvider(page, admin.username);
    await page.click("text=Quản lý quyền");
    await page.waitForSelector("#grant-email");
    expect(new URL(page.url()).searchParams.get("page")).toBe("grants");
    // The demo people of the province are listed already.
    await page.waitForSelector(`[data-grant="${admin.email}"]`);

    // Keyboard only: type into each field, Tab between them, Enter submits.
    await page.focus("#grant-email");
    await page.keyboard.type(grantee);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Cán bộ mới xã Quốc Tuấn");
    await page.keyboard.press("Tab");
    await page.selectOption("#grant-role", "editor");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(COMMUNE);
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-grant="${grantee}"]`);
    const row = page.locator(`[data-grant="${grantee}"]`);
    expect(await row.locator("[data-grant-role]").getAttribute("data-grant-role")).toBe("editor");
    expect(await row.locator("[data-grant-role]").textContent()).toBe(ROLE_LABELS.editor);
    expect(await row.textContent()).toContain(unitName(COMMUNE));
    // The commune's audit says who granted what to whom, newest first (records are kept per unit
    // the grant names).
    await page.selectOption("#audit-unit", COMMUNE);
    const granted = page.locator('[data-table="audit"] tbody tr[data-audit-action="grant.put"]', {
      hasText: grantee,
    });
    await granted.first().waitFor();
    expect(await granted.first().textContent()).toContain(admin.name);
    expect(await seriousViolations(page)).toEqual([]);
    if (SCREENSHOTS) {
      await page.screenshot({
        path: path.join(PROJECT_ROOT, "docs/images/portal-grants.png"),
        fullPage: true,
      });
    }

    // Beyond the admin's units (Hà Nội, 01): the API refuses, the page says so in words.
    await page.fill("#grant-email", "ngoai.pham.vi@demo.example.org");
    await page.fill("#grant-units", "01");
    await page.click('.grant-form button[type="submit"]');
    const refusal = page.locator("[data-grant-status]");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("không được");
    expect(await page.locator('[data-grant="ngoai.pham.vi@demo.example.org"]').count()).toBe(0);

    // Revoke, confirmed in the row.
    await row.locator("text=Thu hồi").click();
    await row.locator("text=Xác nhận thu hồi").click();
    await page.waitForSelector(`[data-grant-status]:has-text("Đã thu hồi")`);
    // The list is read again: the revoked grant is gone (DELETE removes it), the others stay.
    await page.locator(`[data-grant="${grantee}"]`).waitFor({ state: "detached" });
    await page
      .locator('[data-table="audit"] tbody tr[data-audit-action="grant.revoke"]', { hasText: grantee })
      .first()
      .waitFor();
    expect(await page.locator(`[data-grant="${admin.email}"]`).count()).toBe(1);
    await page.close();
  });

  it("fits a phone's width with the signed-in header and the admin's page, without sideways scrolling", async () => {
    const page = await openPage(`?year=${YEAR}`);
    await page.setViewportSize({ width: 375, height: 740 });
    await signInAtProvider(page, "qt.haiduong");
    await page.waitForSelector('[data-account="name"]');
    const overflow = () =>
      page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as Promise<number>;
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.click("text=Quản lý quyền");
    await page.waitForSelector('[data-table="grants"] tbody tr');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("does not show the grants page to a viewer who opens its address", async () => {
    const page = await openPage(`?page=grants`);
    await signInAtProvider(page, "vp.haiduong");
    await page.waitForSelector("#unit-search");
    expect(await page.locator("#grant-email").count()).toBe(0);
    await page.close();
  });

  it("renews the access token with the refresh token before it expires, without leaving the page", async () => {
    const page = await browser.context.newPage();
    await browser.context.clearCookies();
    // The local provider gives the portal refresh tokens, as Cognito does: its scope asks for
    // offline_access.
    await page.clock.install();
    await page.goto(`${stack.url}/?unit=${COMMUNE}&year=${YEAR}`);
    await signInAtProvider(page, "ct.quoctuan");
    await page.waitForSelector('[data-table="form-ii06a"] tfoot tr');
    const storedUser = () =>
      page.evaluate(
        'JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith("portal.oidc.user:"))))',
      ) as Promise<{ access_token: string; refresh_token?: string }>;
    const before = await storedUser();
    expect(before.refresh_token).toBeTruthy();
    const renewed = page.waitForResponse(
      (r) => r.url().startsWith(providerOrigin) && r.url().includes("/token"),
    );
    await page.clock.fastForward("14:30"); // within the minute before the 15-minute token expires
    expect((await renewed).status()).toBe(200);
    await expect.poll(async () => (await storedUser()).access_token).not.toBe(before.access_token);
    // Still the same page, signed in, and the API takes the new token.
    expect(new URL(page.url()).search).toBe(`?unit=${COMMUNE}&year=${YEAR}`);
    // The page's next calls carry the renewed token, and the API takes it.
    const renewedToken = (await storedUser()).access_token;
    const nextCall = page.waitForResponse((r) =>
      r.url().includes(`/v1/figures?communeCode=${COMMUNE}&year=${YEAR - 1}`),
    );
    await page.selectOption("#period-year", String(YEAR - 1));
    await page.click('.period-picker button[type="submit"]');
    const answer = await nextCall;
    expect(answer.request().headers().authorization).toBe(`Bearer ${renewedToken}`);
    expect(answer.status()).toBe(200);
    await page.clock.fastForward("01:00");
    expect(await page.locator(".expired").count()).toBe(0);
    await page.close();
  });

  it("asks for a new sign-in when the access token expires, and comes back signed in", async () => {
    const page = await browser.context.newPage();
    await browser.context.clearCookies();
    // A provider that gives no refresh token: the configuration's scope without offline_access.
    await page.route("**/v1/auth/config", async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as { scope: string };
      const scope = config.scope
        .split(" ")
        .filter((s) => s !== "offline_access")
        .join(" ");
      await route.fulfill({ response, json: { ...config, scope } });
    });
    // The page's clock is the test's: the token's expiry comes without waiting for it.
    await page.clock.install();
    await page.goto(`${stack.url}/?year=${YEAR}`);
    await signInAtProvider(page, "cb.quoctuan");
    await page.waitForSelector('[data-account="name"]');
    await page.clock.fastForward("16:00"); // beyond the provider's 15-minute access tokens
    const expired = page.locator(".expired");
    await expired.waitFor();
    expect(await expired.textContent()).toContain("hết hạn");
    // The provider's session is still open: no password this time.
    await expired.locator("button").click();
    await page.waitForURL((url) => url.origin === stack.url && !url.searchParams.has("code"));
    await page.waitForSelector('[data-account="name"]');
    expect(await page.locator(".expired").count()).toBe(0);
    expect(await accountText(page, "name")).toBe(person("cb.quoctuan").name);
    await page.close();
  });
});
