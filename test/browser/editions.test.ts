import path from "node:path";
import JSZip from "jszip";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "../../local/demo-people";
import { type LocalStack, PROJECT_ROOT, startLocalStack } from "../../local/stack";
import { ensureWebBuilt } from "../../local/web-build";
import { SECTIONS } from "../../shared/editions/sections";
import type { CommuneReport, ProvinceReport } from "../../shared/reports/model";
import { formatCount } from "../../shared/reports/render/vietnamese-format";
import { communesOfProvince } from "../../shared/units/registry";
import type { Edition } from "../../web/src/editions/model";
import { focusedId, seriousViolations } from "../support/axe";
import { type Chromium, launchChromium } from "../support/browser";
import { oidcLogin } from "../support/oidc-login";
import { seedCommuneYear } from "../support/seed-intake";

const COMMUNE = "10621";
const PROVINCE = "30";
const YEAR = 2023;
const EDITOR_PAGE = `?unit=${COMMUNE}&year=${YEAR}&tab=edition`;
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const nameOf = (username: string) => DEMO_PEOPLE.find((p) => p.username === username)!.name;

let stack: LocalStack;
let browser: Chromium;
let second: Chromium;
let providerOrigin: string;
let login: ReturnType<typeof oidcLogin>;

beforeAll(async () => {
  ensureWebBuilt();
  stack = await startLocalStack({ port: 0, setProcessEnv: true });
  if (!stack.oidc) throw new Error("the local stack started without its OpenID provider");
  providerOrigin = new URL(stack.oidc.issuer).origin;
  login = oidcLogin({ issuer: stack.oidc.issuer, portalOrigin: stack.url });
  await seedCommuneYear(stack.url, { communeCode: COMMUNE, year: YEAR, dossiers: 40 });
  browser = await launchChromium();
  browser.context.setDefaultTimeout(60_000);
  second = await launchChromium();
  second.context.setDefaultTimeout(60_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await second?.close();
  await stack?.stop();
});

/** A new tab of `chromium`, signed in as `username` on the provider's own page, at `query`. */
async function signedIn(chromium: Chromium, username: string, query: string): Promise<Page> {
  await chromium.context.clearCookies();
  const page = await chromium.context.newPage();
  // The editor asks before leaving with unsaved text; the tests reload on purpose.
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(`${stack.url}/${query}`);
  await page.click("#person-sign-in");
  await page.waitForURL((url) => url.origin === providerOrigin);
  await page.fill('input[type="text"]', username);
  await page.fill('input[type="password"]', DEMO_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.origin === stack.url && !url.searchParams.has("code"));
  return page;
}

async function api<T>(username: string, route: string): Promise<{ body: T; etag: string | null }> {
  const token = await login.accessTokenFor(username);
  const response = await fetch(`${stack.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, route).toBe(200);
  return { body: (await response.json()) as T, etag: response.headers.get("etag") };
}
const savedEdition = () => api<Edition>("cb.quoctuan", `/v1/editions/${COMMUNE}/${YEAR}?period=year`);

/** The editor loaded, with the save status showing this revision saved. */
async function savedAt(page: Page, revision: number): Promise<void> {
  await page.waitForSelector(`#save-status[data-save="saved"]:has-text("phiên bản ${revision},")`);
}

/** Everything typed is saved (in one save or several): saved, at a revision after `after`. */
async function allSaved(page: Page, after: number): Promise<void> {
  await page.waitForSelector(`#save-status[data-save="saved"]:not([data-revision="${after}"])`);
}

async function downloads(url: string | null): Promise<Buffer> {
  expect(url).toMatch(/^http/);
  const response = await fetch(url!);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const I4 = "Năm 2023, Bộ phận Một cửa xã đã tiếp nhận và giải quyết hồ sơ đúng quy trình.";

describe("officials write, save, merge and issue the year-end report in the portal", () => {
  it("starts the draft, writes a section beside its live figures and saves it as one types", async () => {
    const page = await signedIn(browser, "cb.quoctuan", EDITOR_PAGE);
    await page.click("text=Bắt đầu soạn báo cáo");
    await page.waitForSelector('[data-view="edition"][data-status="draft"]');
    await savedAt(page, 1);

    // Beside I.4 (dossier results): the figures GET /v1/figures answers.
    const { body: figures } = await api<CommuneReport>(
      "cb.quoctuan",
      `/v1/figures?communeCode=${COMMUNE}&year=${YEAR}`,
    );
    const figureLines = await page.$$eval("#muc-I-4 .live-figures dl > div", (rows) =>
      rows.map((row) => [row.querySelector("dt")?.textContent, row.querySelector("dd")?.textContent]),
    );
    expect(figureLines).toContainEqual([
      "Hồ sơ tiếp nhận",
      formatCount(figures.dossiers.total.received.total),
    ]);
    expect(figureLines).toContainEqual(["trước hạn", formatCount(figures.dossiers.total.resolved.early)]);
    expect(figureLines).toContainEqual(["quá hạn", formatCount(figures.dossiers.total.resolved.late)]);

    // An editor writes and previews, but issuing is the issuer's.
    expect(await page.locator("text=Ban hành…").count()).toBe(0);
    await page.fill("#muc-I-4-text", I4);
    await page.fill("#so-procedures-total", "137");
    await allSaved(page, 1);
    expect(await page.getAttribute("#save-status", "role")).toBe("status");
    const { body: saved, etag } = await savedEdition();
    expect(saved.texts["I.4"]).toBe(I4);
    expect(saved.numbers.procedures).toEqual({ total: 137 });
    expect(etag).toBe(`"${saved.revision}"`);

    // Printing shows the report as a document, not the form.
    await page.emulateMedia({ media: "print" });
    expect(await page.isVisible(".edition-form")).toBe(false);
    expect(await page.textContent(".edition-print")).toContain(I4);
    await page.emulateMedia({ media: "screen" });

    expect(await seriousViolations(page)).toEqual([]);
    if (SCREENSHOTS) {
      const before = (await savedEdition()).body.revision;
      await page.fill(
        "#muc-I-5-text",
        "Tổng số hồ sơ thực hiện liên thông trong năm được giải quyết đúng hạn.\n\n- Liên thông khai sinh, thường trú, bảo hiểm y tế\n- Liên thông khai tử, xóa thường trú, mai táng phí",
      );
      await allSaved(page, before);
      await page.locator("#muc-I-4").evaluate((el) => el.scrollIntoView());
      await page.evaluate("window.scrollBy(0, -90)");
      await page.screenshot({ path: path.join(PROJECT_ROOT, "docs/images/editions-editor.png") });
    }
    await page.close();
  });

  it("loses nothing typed when the network is lost and the page is reloaded mid-typing", async () => {
    const page = await signedIn(browser, "cb.quoctuan", EDITOR_PAGE);
    const before = (await savedEdition()).body.revision;
    await savedAt(page, before);
    // The network goes: every save fails.
    await page.route("**/v1/editions/**", (route) =>
      route.request().method() === "PUT" ? route.abort("internetdisconnected") : route.continue(),
    );
    const typed = "Trong năm, UBND xã đã ban hành kế hoạch tuyên truyền cải cách thủ tục hành chính.";
    await page.focus("#muc-I-7-text");
    await page.keyboard.type(typed);
    await page.waitForSelector('#save-status[data-save="offline"]');
    expect(await page.textContent("#save-status")).toContain("Mất kết nối");
    const draft = await page.evaluate(
      "Object.keys(sessionStorage).filter((k) => k.startsWith('editions.draft/') && k.endsWith('texts:I.7')).map((k) => JSON.parse(sessionStorage.getItem(k)).value)",
    );
    expect(draft).toEqual([typed]);

    // Reloaded while unsaved: the text comes back from the tab's drafts and is saved once online.
    await page.unroute("**/v1/editions/**");
    await page.reload();
    await page.waitForSelector("#muc-I-7-text");
    expect(await page.inputValue("#muc-I-7-text")).toBe(typed);
    await savedAt(page, before + 1);
    expect((await savedEdition()).body.texts["I.7"]).toBe(typed);

    // Reloaded right while typing, online: whether the pause came or not, nothing is lost.
    const more = " Tổ chức 13 hội nghị.";
    await page.focus("#muc-I-7-text");
    await page.keyboard.press("End");
    await page.keyboard.type(more);
    await page.reload();
    await page.waitForSelector("#muc-I-7-text");
    expect(await page.inputValue("#muc-I-7-text")).toBe(typed + more);
    await page.waitForSelector('#save-status[data-save="saved"]');
    expect((await savedEdition()).body.texts["I.7"]).toBe(typed + more);
    expect(
      await page.evaluate(
        "Object.keys(sessionStorage).filter((k) => k.startsWith('editions.draft/')).length",
      ),
    ).toBe(0);
    await page.close();
  });

  it("shows a conflict from a second browser in words with both versions and saves the merge on the new ETag", async () => {
    const mine = await signedIn(browser, "cb.quoctuan", EDITOR_PAGE);
    const start = (await savedEdition()).body.revision;
    await savedAt(mine, start);

    const theirs = await signedIn(second, "ct.quoctuan", EDITOR_PAGE);
    await savedAt(theirs, start);
    await theirs.fill("#muc-I-2-text", "Rà soát 37 thủ tục ở 8 lĩnh vực (bản của chủ tịch).");
    await savedAt(theirs, start + 1);

    await mine.fill("#muc-I-2-text", "Đã rà soát 37 thủ tục hành chính (bản của cán bộ).");
    const dialog = mine.locator("dialog.conflict");
    await dialog.waitFor();
    expect(await focusedId(mine)).toBe("conflict-title");
    const clash = dialog.locator('[data-clash="texts:I.2"]');
    expect(await clash.locator('[data-version="mine"] .version-text').textContent()).toBe(
      "Đã rà soát 37 thủ tục hành chính (bản của cán bộ).",
    );
    expect(await clash.locator('[data-version="theirs"] .version-text').textContent()).toBe(
      "Rà soát 37 thủ tục ở 8 lĩnh vực (bản của chủ tịch).",
    );
    expect(await dialog.textContent()).toContain(nameOf("ct.quoctuan"));
    expect(await mine.getAttribute("#save-status", "data-save")).toBe("conflict");
    expect(await seriousViolations(mine)).toEqual([]);

    await clash.locator('input[value="merged"]').check();
    const merged = await clash.locator("textarea").inputValue();
    expect(merged).toContain("(bản của cán bộ)");
    expect(merged).toContain("(bản của chủ tịch)");
    await clash.locator("textarea").fill("Rà soát 37 thủ tục hành chính ở 8 lĩnh vực.");
    await dialog.locator("text=Lưu lựa chọn").click();
    await savedAt(mine, start + 2);
    expect(await dialog.count()).toBe(0);
    // Focus is back where the person was typing.
    expect(await focusedId(mine)).toBe("muc-I-2-text");
    const { body: saved } = await savedEdition();
    expect(saved.texts["I.2"]).toBe("Rà soát 37 thủ tục hành chính ở 8 lĩnh vực.");

    await theirs.reload();
    await savedAt(theirs, start + 2);
    expect(await theirs.inputValue("#muc-I-2-text")).toBe("Rà soát 37 thủ tục hành chính ở 8 lĩnh vực.");
    await mine.close();
    await theirs.close();
  });

  it("issues after a confirmation listing the empty sections and the missing document fields, then shows the frozen files and the drift, and the next year carries it over", async () => {
    const page = await signedIn(second, "ct.quoctuan", EDITOR_PAGE);
    const { body: draft } = await savedEdition();
    await savedAt(page, draft.revision);

    // The preview: the Word document of the current revision.
    await page.click("text=Xem trước (Word)");
    await page.waitForSelector("a[data-preview]");
    expect(
      (await downloads(await page.getAttribute("a[data-preview]", "href"))).subarray(0, 2).toString(),
    ).toBe("PK");

    await page.click("text=Ban hành…");
    const dialog = page.locator("dialog.issue");
    await dialog.waitFor();
    expect(await focusedId(page)).toBe("issue-title");
    // Escape closes it, and focus returns to the button that opened it.
    await page.keyboard.press("Escape");
    expect(await dialog.count()).toBe(0);
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Ban hành…");
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    const empty = SECTIONS.filter((s) => !draft.texts[s.id]);
    expect(await dialog.locator('[data-list="empty-sections"] li').count()).toBe(empty.length);
    await dialog.locator('button:has-text("Ban hành")').click();
    await dialog.locator('[data-list="missing"]').waitFor();
    expect(await dialog.locator('[data-list="missing"] li').allTextContents()).toEqual(
      expect.arrayContaining(["Số văn bản", "Địa danh", "Ngày ban hành", "Họ và tên người ký", "Nơi nhận"]),
    );
    await dialog.locator("text=Đóng để bổ sung").click();
    expect(await dialog.count()).toBe(0);
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Ban hành…");

    await page.fill("#vb-number", "140/BC-UBND");
    await page.fill("#vb-place", "Quốc Tuấn");
    await page.fill("#vb-date", `${YEAR}-12-14`);
    await page.fill("#vb-authority", "TM.");
    await page.fill("#vb-signerTitle", "Chủ tịch");
    await page.fill("#vb-signerName", "Nguyễn Bá Dũng");
    await page.fill("#vb-recipients", "UBND huyện Nam Sách\nCác ngành UBND xã\nLưu VP");
    await page.waitForSelector('#save-status[data-save="saved"]');

    await page.click("text=Ban hành…");
    await dialog.waitFor();
    await dialog.locator('button:has-text("Ban hành")').click();
    await page.waitForSelector("[data-issued]");
    expect(await focusedId(page)).toBe("issued-title");
    for (const format of ["docx", "xlsx"]) {
      const bytes = await downloads(await page.getAttribute(`a[data-issued-format="${format}"]`, "href"));
      expect(bytes.subarray(0, 2).toString(), format).toBe("PK");
    }
    expect(await page.getAttribute("[data-drift]", "data-drift")).toBe("0,0,0");
    expect(await page.textContent("[data-drift]")).toBe("Số liệu hiện tại vẫn đúng như lúc ban hành.");
    expect(await page.getAttribute("#muc-I-4-text", "readonly")).not.toBeNull();
    expect(await page.locator("text=Ban hành…").count()).toBe(0);
    const { body: issued } = await savedEdition();
    expect(issued.status).toBe("issued");
    expect(issued.document.number).toBe("140/BC-UBND");
    expect(await seriousViolations(page)).toEqual([]);

    // The next year's draft starts from this issued report: texts and recipients, not number and date.
    await page.goto(`${stack.url}/?unit=${COMMUNE}&year=${YEAR + 1}&tab=edition`);
    await page.click("text=Bắt đầu soạn báo cáo");
    await page.waitForSelector(`[data-carried-from="${YEAR}/1"]`);
    expect(await page.textContent(`[data-carried-from="${YEAR}/1"]`)).toContain(`báo cáo ${YEAR} (bản 1)`);
    expect(await page.inputValue("#muc-I-4-text")).toBe(I4);
    expect(await page.inputValue("#vb-recipients")).toBe("UBND huyện Nam Sách\nCác ngành UBND xã\nLưu VP");
    expect(await page.inputValue("#vb-number")).toBe("");
    await page.close();
  });

  it("lists the commune as issued in the province's panel, not-issued first, with the Excel list and the ZIP, and a viewer reads the report only", async () => {
    const page = await signedIn(browser, "vp.haiduong", `?unit=${PROVINCE}&year=${YEAR}`);
    const panel = page.locator('[data-panel="province-editions"]');
    await panel.locator(`[data-commune="${COMMUNE}"]`).waitFor();
    const total = communesOfProvince(PROVINCE, `${YEAR}-12-14`).length;
    expect(await panel.locator("[data-issued-count]").getAttribute("data-issued-count")).toBe(`1/${total}`);
    const statuses = await panel
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute("data-commune"), row.getAttribute("data-status")]),
      );
    expect(statuses).toHaveLength(total);
    expect(statuses.at(-1)).toEqual([COMMUNE, "issued"]);
    const row = panel.locator(`[data-commune="${COMMUNE}"]`);
    expect(await row.textContent()).toContain("Đã ban hành");
    expect(await row.textContent()).toContain("140/BC-UBND");
    expect(await row.textContent()).toContain(nameOf("ct.quoctuan"));
    expect(await seriousViolations(page)).toEqual([]);

    await panel.locator("text=Xuất danh sách ra Excel").click();
    await panel.locator('a[data-export="xlsx"]').waitFor();
    expect(
      (await downloads(await panel.locator('a[data-export="xlsx"]').getAttribute("href")))
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    await panel.locator("text=Tải tất cả báo cáo đã ban hành (ZIP)").click();
    await panel.locator('a[data-export="zip"]').waitFor();
    const zip = await JSZip.loadAsync(
      await downloads(await panel.locator('a[data-export="zip"]').getAttribute("href")),
    );
    expect(Object.keys(zip.files).some((name) => name.includes(COMMUNE))).toBe(true);

    // The commune's name opens its report, read only for a viewer.
    await row.locator("a").click();
    await page.waitForSelector(`[data-view="edition"][data-unit="${COMMUNE}"] [data-issued]`);
    expect(await page.textContent('[data-role="viewer"]')).toContain("chỉ xem");
    expect(await page.getAttribute("#muc-I-4-text", "readonly")).not.toBeNull();
    expect(await page.inputValue("#muc-I-4-text")).toBe(I4);
    expect(await page.locator("text=Ban hành…").count()).toBe(0);
    expect(await page.locator("text=Lập bản đính chính").count()).toBe(0);
    await page.close();
  });
  it("starts the province's own edition from its communes' issued numbers, n of N beside each, beside the roll-up's figures", async () => {
    const page = await signedIn(browser, "qt.haiduong", `?unit=${PROVINCE}&year=${YEAR}`);
    await page.click('[data-tab="edition"]');
    await page.click("text=Bắt đầu soạn báo cáo");
    await page.waitForSelector('[data-view="edition"][data-status="draft"]');
    const total = communesOfProvince(PROVINCE, `${YEAR}-12-14`).length;
    expect(await page.inputValue("#so-procedures-total")).toBe("137");
    expect(await page.textContent('[data-from-communes="procedures"]')).toBe(
      `Cộng từ 1/${formatCount(total)} xã đã ban hành: Tổng số: 137`,
    );
    const { body: rollUp } = await api<ProvinceReport>(
      "qt.haiduong",
      `/v1/figures?provinceCode=${PROVINCE}&year=${YEAR}`,
    );
    const figureLines = await page.$$eval("#muc-I-4 .live-figures dl > div", (rows) =>
      rows.map((row) => [row.querySelector("dt")?.textContent, row.querySelector("dd")?.textContent]),
    );
    expect(figureLines).toContainEqual(["Hồ sơ tiếp nhận", formatCount(rollUp.total.received.total)]);
    expect(await page.textContent("h1")).toBe(`Soạn báo cáo: ${rollUp.province.provinceName}`);
    await page.close();
  });
});
