import { randomBytes } from "node:crypto";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import {
  downloadName,
  MAX_LINK_SECONDS,
  periodSlug,
  reportKey,
  S3ReportStore,
} from "../../shared/adapters/s3/report-store";
import type { ReportTarget } from "../../shared/reports/ports";
import { createTestBucket, type TestBucket } from "../support/aws";

let bucket: TestBucket;
let store: S3ReportStore;

beforeAll(async () => {
  bucket = await createTestBucket("reports");
  store = new S3ReportStore(bucket.s3, bucket.bucketName);
});

const commune: ReportTarget = {
  kind: "commune",
  communeCode: "10621",
  provinceCode: "30",
  period: { kind: "year", year: 2023 },
};

describe("the report object layout", () => {
  it("keys reports by year, province, commune and period", () => {
    expect(reportKey(commune, "xlsx")).toBe("reports/2023/30/10621/year.xlsx");
    expect(reportKey({ ...commune, period: { kind: "quarter", year: 2024, quarter: 2 } }, "json")).toBe(
      "reports/2024/30/10621/q2.json",
    );
    expect(reportKey({ ...commune, period: { kind: "month", year: 2024, month: 3 } }, "docx")).toBe(
      "reports/2024/30/10621/m03.docx",
    );
    expect(
      reportKey({ kind: "province", provinceCode: "30", period: { kind: "six-months", year: 2023 } }, "xlsx"),
    ).toBe("reports/2023/30/province-six-months.xlsx");
    expect(periodSlug({ kind: "nine-months", year: 2023 })).toBe("nine-months");
    expect(downloadName(commune, "docx")).toBe("bao-cao-10621-2023.docx");
  });
});

describe("S3 report store (s3rver)", () => {
  it("round-trips every format byte for byte through a presigned URL fetched with a plain GET", async () => {
    const files = [
      {
        format: "json" as const,
        body: Buffer.from('{"schema":"report.v1","unit":{"communeName":"Xã Quốc Tuấn"}}\n'),
      },
      { format: "xlsx" as const, body: randomBytes(200_000) },
      { format: "docx" as const, body: randomBytes(65_537) },
    ];
    await store.save(commune, files);
    const stored = await store.list(commune);
    expect(stored.map((s) => [s.format, s.key])).toEqual([
      ["json", "reports/2023/30/10621/year.json"],
      ["xlsx", "reports/2023/30/10621/year.xlsx"],
      ["docx", "reports/2023/30/10621/year.docx"],
    ]);
    for (const object of stored) {
      const link = await store.presign(object, 900, new Date());
      const response = await fetch(link.url);
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(files.find((f) => f.format === object.format)!.body)).toBe(true);
    }
  });

  it("stores each format with its content type and a download file name", async () => {
    const head = await bucket.s3.send(
      new HeadObjectCommand({ Bucket: bucket.bucketName, Key: "reports/2023/30/10621/year.xlsx" }),
    );
    expect(head.ContentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(head.ContentDisposition).toBe('attachment; filename="bao-cao-10621-2023.xlsx"');
  });

  it("replaces a report when it is built again", async () => {
    const target: ReportTarget = { ...commune, period: { kind: "month", year: 2023, month: 5 } };
    await store.save(target, [{ format: "json", body: Buffer.from("first") }]);
    await store.save(target, [{ format: "json", body: Buffer.from("second") }]);
    const [object] = await store.list(target);
    const response = await fetch((await store.presign(object!, 60, new Date())).url);
    expect(await response.text()).toBe("second");
  });

  it("signs links for the requested lifetime, capped at 7 days, and says when they expire", async () => {
    const [object] = await store.list(commune);
    const now = new Date();
    const link = await store.presign(object!, 3600, now);
    expect(new URL(link.url).searchParams.get("X-Amz-Expires")).toBe("3600");
    expect(link.expiresAt).toBe(new Date(now.getTime() + 3_600_000).toISOString());
    const capped = await store.presign(object!, 30 * 24 * 3600, now);
    expect(new URL(capped.url).searchParams.get("X-Amz-Expires")).toBe(String(MAX_LINK_SECONDS));
  });

  it("refuses a download after the link has expired", async () => {
    const [object] = await store.list(commune);
    // Signed two minutes ago for one minute: expired a minute ago.
    const link = await store.presign(object!, 60, new Date(Date.now() - 120_000));
    const response = await fetch(link.url);
    expect(response.status).toBe(403);
  });

  it("lists nothing for a report never built, and tells when each commune of a province was built", async () => {
    expect(await store.list({ ...commune, communeCode: "10623" })).toEqual([]);
    await store.save({ ...commune, communeCode: "10625" }, [{ format: "json", body: Buffer.from("{}") }]);
    const built = await store.builtCommunes("30", { kind: "year", year: 2023 });
    expect([...built.keys()].sort()).toEqual(["10621", "10625"]);
    expect(built.get("10625")).toBeInstanceOf(Date);
  });
});
