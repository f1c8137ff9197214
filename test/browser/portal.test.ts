import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, PROJECT_ROOT, startLocalStack } from "../../local/stack";
import { ensureWebBuilt } from "../../local/web-build";
import { DEMO_READER_TOKEN } from "../../shared/intake/sources";
import type { CommuneReport, ProvinceReport } from "../../shared/reports/model";
import { formII06aValues } from "../../shared/reports/render/table-layouts";
import { formatCount, formatRate } from "../../shared/reports/render/vietnamese-format";
import { communesOfProvince } from "../../shared/units/registry";
import { formatChange, formatChangePercent, onTimeRate } from "../../web/src/format";
import { focusedId, seriousViolations } from "../support/axe";
import { type Chromium, launchChromium } from "../support/browser";
import { seedCommuneYear } from "../support/seed-intake";

const COMMUNE = "10621";
const PROVINCE = "30";
const YEAR = 2023;
const NEIGHBOURS = communesOfProvince(PROVINCE, `${YEAR}-12-14`)
  .map((c) => c.code)
  .filter((code) => code !== COMMUNE)
  .slice(0, 2);
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";

let stack: LocalStack;
let browser: Chromium;

beforeAll(async () => {
  ensureWebBuilt();
  stack = await startLocalStack({ port: 0, setProcessEnv: true });
  await seedCommuneYear(stack.url, { communeCode: COMMUNE, year: YEAR, dossiers: 300 });
  // Two smaller neighbours, so the province view has communes to sort.
  for (const [i, communeCode] of NEIGHBOURS.entries()) {
    await seedCommuneYear(stack.url, { communeCode, year: YEAR, dossiers: 60, seed: YEAR + 1 + i });
  }
  browser = await launchChromium();
  browser.context.setDefaultTimeout(60_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPage(query = ""): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.url}/${query}`);
  // The sign-in appears once the page knows whether people can sign in (GET /v1/auth/config).
  await page.waitForSelector("#access-code");
  return page;
}

async function signIn(page: Page, code = DEMO_READER_TOKEN): Promise<void> {
  await page.fill("#access-code", code);
  await page.press("#access-code", "Enter");
}

async function apiJson<T>(route: string): Promise<T> {
  const response = await fetch(`${stack.url}${route}`, {
    headers: { authorization: `Bearer ${DEMO_READER_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The cells of a table row as the page shows them. */
const rowTexts = (page: Page, selector: string) =>
  page.$$eval(selector, (rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? "")),
  );

describe("the officials' portal in a browser", () => {
  it("signs in with the access code and Enter, keeps it in sessionStorage only, and forgets it on sign-out", async () => {
    const page = await openPage();
    expect(await page.getAttribute("#access-code", "type")).toBe("password");
    await signIn(page);
    await page.waitForSelector("#unit-search");
    const stored = await page.evaluate(
      '({ session: sessionStorage.getItem("portal.accessCode"), local: localStorage.length, cookies: document.cookie })',
    );
    expect(stored).toEqual({ session: DEMO_READER_TOKEN, local: 0, cookies: "" });

    await page.click("text=Đăng xuất");
    await page.waitForSelector("#access-code");
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    await page.close();
  });

  it("shows a message in the page for a wrong access code and stays on the sign-in form", async () => {
    const page = await openPage();
    await signIn(page, "not-a-reader-token");
    const alert = page.locator('[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Mã truy cập không đúng");
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    expect(await page.locator("#unit-search").count()).toBe(0);
    await page.close();
  });

  it("opens a deep link after sign-in and shows exactly the figures GET /v1/figures answers", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    await signIn(page);
    await page.waitForSelector('[data-table="form-ii06a"] tfoot tr');
    const figures = await apiJson<CommuneReport>(`/v1/figures?communeCode=${COMMUNE}&year=${YEAR}`);
    expect(figures.dossiers.total.received.total).toBeGreaterThan(0);

    expect(await page.textContent("h1")).toBe(figures.unit.communeName);
    const body = await rowTexts(page, '[data-table="form-ii06a"] tbody tr');
    expect(body).toEqual(
      figures.dossiers.byField.map((row, i) => [
        String(i + 1),
        row.fieldName,
        ...formII06aValues(row).map(formatCount),
      ]),
    );
    const [total] = await rowTexts(page, '[data-table="form-ii06a"] tfoot tr');
    expect(total).toEqual(["", "Tổng số", ...formII06aValues(figures.dossiers.total).map(formatCount)]);
    expect(await page.textContent('[data-headline="online"] .big')).toBe(formatRate(figures.onlineReception));
    // Vietnamese number style: thousands grouped with dots, decimals after a comma.
    expect(total?.[2]).toMatch(/^\d{1,3}(\.\d{3})*$/);
    expect(await page.textContent('[data-headline="online"] .big')).toMatch(/^\d+(,\d+)?%$/);
    await page.close();
  });

  it("builds the report from the page and its Word, Excel and JSON links download the files", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    await signIn(page);
    await page.click("text=Lập báo cáo ngay");
    await page.waitForSelector('a[data-format="docx"]');
    const expected = {
      docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      json: "application/json",
    };
    for (const [format, contentType] of Object.entries(expected)) {
      const href = await page.getAttribute(`a[data-format="${format}"]`, "href");
      expect(href).toMatch(/^http/);
      const response = await fetch(href!);
      expect(response.status, format).toBe(200);
      expect(response.headers.get("content-type"), format).toContain(contentType);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (format === "json") expect(JSON.parse(bytes.toString("utf8")).unit.communeCode).toBe(COMMUNE);
      else expect(bytes.subarray(0, 2).toString("latin1"), format).toBe("PK"); // a zip (OOXML) file
    }
    if (SCREENSHOTS) {
      await page.screenshot({
        path: path.join(PROJECT_ROOT, "docs/images/portal-commune.png"),
        fullPage: true,
      });
    }
    await page.close();
  });

  it("lists the province's communes lowest on-time rate first, links each to its view, and the back button returns", async () => {
    const page = await openPage(`?unit=${PROVINCE}&year=${YEAR}`);
    await signIn(page);
    await page.waitForSelector('[data-table="communes"] tbody tr');
    const province = await apiJson<ProvinceReport>(`/v1/figures?provinceCode=${PROVINCE}&year=${YEAR}`);
    const withData = province.communes.filter((c) => c.received.total > 0);
    expect(withData.map((c) => c.communeCode).sort()).toEqual([COMMUNE, ...NEIGHBOURS].sort());
    const listed = await page.$$eval('[data-table="communes"] tbody tr', (rows) =>
      rows.map((row) => row.getAttribute("data-commune") ?? ""),
    );
    // Exactly the communes with dossiers, lowest on-time rate first.
    const rateOf = new Map(
      withData.map((c) => [c.communeCode, onTimeRate(c).percent ?? Number.POSITIVE_INFINITY]),
    );
    expect([...listed].sort()).toEqual(withData.map((c) => c.communeCode).sort());
    const rates = listed.map((code) => rateOf.get(code)!);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(await page.getAttribute('[data-table="communes"] th[aria-sort="ascending"]', "aria-sort")).toBe(
      "ascending",
    );
    if (SCREENSHOTS) {
      await page.screenshot({
        path: path.join(PROJECT_ROOT, "docs/images/portal-province.png"),
        fullPage: true,
      });
    }

    await page.click(`[data-commune="${COMMUNE}"] a`);
    await page.waitForSelector(`[data-view="commune"][data-unit="${COMMUNE}"]`);
    expect(new URL(page.url()).searchParams.get("unit")).toBe(COMMUNE);

    await page.goBack();
    await page.waitForSelector(`[data-view="province"][data-unit="${PROVINCE}"]`);
    expect(new URL(page.url()).searchParams.get("unit")).toBe(PROVINCE);
    await page.close();
  });

  it("is usable with the keyboard alone: sign in, find the commune without diacritics, open it", async () => {
    const page = await openPage(`?year=${YEAR}`);
    for (let i = 0; i < 5 && (await focusedId(page)) !== "access-code"; i++) {
      await page.keyboard.press("Tab");
    }
    expect(await focusedId(page)).toBe("access-code");
    await page.keyboard.type(DEMO_READER_TOKEN);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#unit-search");
    await page.waitForSelector("text=đơn vị trong phạm vi mã truy cập");
    for (let i = 0; i < 10 && (await focusedId(page)) !== "unit-search"; i++) {
      await page.keyboard.press("Tab");
    }
    expect(await focusedId(page)).toBe("unit-search");
    await page.keyboard.type("quoc tuan nam sach");
    // A whole country's list is searched on the server: the match comes when the answer does.
    await page.waitForSelector('#unit-results a:text-is("Xã Quốc Tuấn")');
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Xã Quốc Tuấn");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-view="commune"][data-unit="${COMMUNE}"] [data-table="form-ii06a"]`);
    await page.close();
  });

  it("has no serious or critical accessibility violation (axe-core) on the sign-in, commune and province views", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(page);
    await page.waitForSelector('[data-table="form-ii06a"]');
    // The downloads panel settled: links to a built report, or the button that builds it.
    await page.locator('a[data-format="docx"]').or(page.getByText("Lập báo cáo ngay")).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${stack.url}/?unit=${PROVINCE}&year=${YEAR}`);
    await page.waitForSelector('[data-table="communes"] tbody tr');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows the previous period, the service index and the predecessors when the figures carry them (docs/reports.md)", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    // The report model gains these fields in another issue: add them to the real answer on its way.
    await page.route("**/v1/figures?*", async (route) => {
      const response = await route.fetch();
      const figures = (await response.json()) as CommuneReport;
      const previousTotal = {
        received: { total: 1000, online: 900, directOrPostal: 80, carriedOver: 20 },
        resolved: { total: 990, early: 900, onTime: 80, late: 10 },
        pending: { total: 10, withinDeadline: 10, overdue: 0 },
      };
      await route.fulfill({
        response,
        json: {
          ...figures,
          unit: {
            ...figures.unit,
            predecessors: [{ communeCode: "10624", communeName: "Xã An Lâm", share: "full" }],
          },
          previous: {
            period: { year: YEAR - 1, from: "2021-12-15", to: "2022-12-14" },
            dossiers: { total: previousTotal },
            onlineReception: { count: 900, of: 980, percent: 91.84 },
          },
          serviceIndex: {
            indicators: [
              {
                code: "onlineReception",
                name: "Tiếp nhận trực tuyến",
                rate: figures.onlineReception,
                threshold: 50,
                points: 12,
                maxPoints: 12,
              },
            ],
            points: 12,
            maxPoints: 12,
          },
        },
      });
    });
    const figures = await apiJson<CommuneReport>(`/v1/figures?communeCode=${COMMUNE}&year=${YEAR}`);
    const received = figures.dossiers.total.received.total;
    await signIn(page);
    await page.waitForSelector('[data-table="previous"]');
    expect(await page.textContent("#previous-title")).toBe(`So với năm ${YEAR - 1}`);
    const [receivedRow] = await rowTexts(page, '[data-table="previous"] tbody tr');
    expect(receivedRow).toEqual([
      "Hồ sơ tiếp nhận",
      formatCount(received),
      "1.000",
      formatChange(received - 1000),
      formatChangePercent(received, 1000),
    ]);
    const index = await rowTexts(page, '[data-table="service-index"] tbody tr');
    expect(index).toEqual([
      [
        "Tiếp nhận trực tuyến",
        `${formatRate(figures.onlineReception)} (${formatCount(figures.onlineReception.count)}/${formatCount(figures.onlineReception.of)})`,
        "50%",
        "12/12",
      ],
    ]);
    expect(await page.textContent("#predecessors-title")).toContain("Đơn vị trước sắp xếp");
    await page.close();
  });

  it("fits a phone's width without sideways scrolling of the page", async () => {
    const page = await openPage(`?unit=${COMMUNE}&year=${YEAR}`);
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page);
    await page.waitForSelector('[data-table="form-ii06a"]');
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - window.innerWidth",
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
