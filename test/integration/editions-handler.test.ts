import { createHash } from "node:crypto";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_EDITION } from "../../scripts/demo-edition";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { MAX_SECTION_CHARS } from "../../shared/editions/sections";
import { ingestBatch } from "../../shared/intake/intake";
import { communesOfProvince } from "../../shared/units/registry";
import { createTestBucket, createTestTable, type TestBucket, type TestTable } from "../support/aws";
import { editionDeps, editionItems, editionObjects, editionsClient } from "../support/editions";
import { dossierEvent, received } from "../support/events";

// One clock for the file (after 2024 closed: the reports are whole years); presigned URLs are signed
// with it, so it is the real time.
const NOW = new Date();
let table: TestTable;
let bucket: TestBucket;
let call: ReturnType<typeof editionsClient>;
const unit = { unit: "10621", year: "2023" };
const ED = "/v1/editions/{unit}/{year}";

async function ingest(events: Parameters<typeof ingestBatch>[1]) {
  const store = new DynamoSubjectStore(table.client, table.tableName);
  const units = { communeExists: () => true, provinceOf: () => "30" };
  await ingestBatch({ id: "demo" }, events, { store, units });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

beforeAll(async () => {
  table = await createTestTable("editions");
  bucket = await createTestBucket("editions");
  await ingest([
    received("2023-03-01T08:00:00+07:00", { dueAt: "2023-03-02T17:00:00+07:00" }, "E1"),
    dossierEvent("dossier.resolved", "2023-03-01T15:00:00+07:00", {}, "E1"),
    received(
      "2023-04-01T08:00:00+07:00",
      { channel: "direct", fieldCode: "CT", fieldName: "Chứng thực" },
      "E2",
    ),
  ]);
  call = editionsClient(editionDeps(table.client, table.tableName, bucket.s3, bucket.bucketName), () => NOW);
});

describe("a commune's edition from draft to issue", () => {
  let issuedFiles: { format: string; url: string; sha256: string }[];

  it('creates a draft (201, ETag "1") once; a second POST answers 409 edition_exists', async () => {
    const created = await call(`POST ${ED}`, unit, { token: "cb-10621" });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      unit: "10621",
      year: 2023,
      period: "year",
      edition: 1,
      status: "draft",
      revision: 1,
    });
    expect(created.body.savedBy).toEqual({ name: "Cán bộ Một cửa xã Quốc Tuấn" });
    const again = await call(`POST ${ED}`, unit, { token: "cb-10621" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("edition_exists");
  });

  it("saves with If-Match only: 428 without, 412 stale with the current edition, 200 with the new ETag", async () => {
    const body = { texts: DEMO_EDITION.texts, numbers: DEMO_EDITION.numbers };
    const without = await call(`PUT ${ED}`, unit, { token: "cb-10621", body });
    expect(without.status).toBe(428);
    expect(without.body.error.code).toBe("precondition_required");
    const saved = await call(`PUT ${ED}`, unit, { token: "cb-10621", ifMatch: '"1"', body });
    expect(saved.status).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.body.texts["I.1"]).toBe(DEMO_EDITION.texts?.["I.1"]);
    const stale = await call(`PUT ${ED}`, unit, {
      token: "cb-10621",
      ifMatch: '"1"',
      body: { texts: { III: "x" } },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("edition_conflict");
    expect(stale.body.error.current).toMatchObject({ revision: 2, texts: { III: DEMO_EDITION.texts?.III } });
  });

  it("answers a stale PUT or issue (412) with `current` in the shape GET answers, year and period included", async () => {
    const read = await call(`GET ${ED}`, unit, { token: "cb-10621" });
    expect(read.body).toMatchObject({ year: 2023, period: "year", revision: 2 });
    const stalePut = await call(`PUT ${ED}`, unit, {
      token: "cb-10621",
      ifMatch: '"1"',
      body: { texts: { III: "x" } },
    });
    expect(stalePut.status).toBe(412);
    expect(stalePut.body.error.current).toEqual(read.body);
    const staleIssue = await call(`POST ${ED}/issue`, unit, { token: "ct-10621", ifMatch: '"1"' });
    expect(staleIssue.status).toBe(412);
    expect(staleIssue.body.error.current).toEqual(read.body);
  });

  it("lists every revision with what it changed, and answers each whole", async () => {
    const list = await call(`GET ${ED}/revisions`, unit, { token: "reader-30" });
    expect(list.status).toBe(200);
    expect(list.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(list.body.revisions[1].sections).toEqual(
      expect.arrayContaining(["I.1", "III", "numbers.procedures"]),
    );
    const first = await call(
      `GET ${ED}/revisions/{revision}`,
      { ...unit, revision: "1" },
      { token: "reader-30" },
    );
    expect(first.body).toMatchObject({ revision: 1, texts: {}, numbers: {} });
  });

  it("refuses to issue an incomplete edition (400 edition_incomplete, `missing`), writing nothing", async () => {
    const before = [
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ];
    const refused = await call(`POST ${ED}/issue`, unit, { token: "ct-10621", ifMatch: '"2"' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("edition_incomplete");
    expect(refused.body.error.missing).toEqual([
      "document.number",
      "document.place",
      "document.date",
      "document.signerTitle",
      "document.signerName",
      "document.recipients",
    ]);
    expect([
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ]).toEqual(before);
  });

  it("previews the Word document of the current revision with live figures; access codes may not", async () => {
    const preview = await call(`POST ${ED}/preview`, unit, { token: "cb-10621" });
    expect(preview.status).toBe(200);
    const zip = await JSZip.loadAsync(await download(preview.body.url));
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain("Thực hiện rà soát được 37 thủ tục hành chính ở 8 lĩnh vực.");
    expect((await call(`POST ${ED}/preview`, unit, { token: "reader-30" })).status).toBe(403);
  });

  it("lets only an issuer of the unit issue; reader tokens and editors are refused (403)", async () => {
    await call(`PUT ${ED}`, unit, {
      token: "cb-10621",
      ifMatch: '"2"',
      body: { document: DEMO_EDITION.document },
    });
    for (const token of ["cb-10621", "reader-30", "viewer-30", "cb-10618"]) {
      const refused = await call(`POST ${ED}/issue`, unit, { token, ifMatch: '"3"' });
      expect(refused.status, token).toBe(403);
    }
  });

  it("issues: files frozen with their SHA-256, the revision unchanged; a retry answers the same files", async () => {
    const issued = await call(`POST ${ED}/issue`, unit, { token: "ct-10621", ifMatch: '"3"' });
    expect(issued.status).toBe(200);
    expect(issued.headers.etag).toBe('"3"');
    expect(issued.body).toMatchObject({
      status: "issued",
      revision: 3,
      issued: { by: { name: "Chủ tịch UBND xã Quốc Tuấn" } },
    });
    expect(issued.body.drift).toEqual({ received: 0, resolved: 0, pending: 0 });
    issuedFiles = issued.body.issued.files;
    expect(issuedFiles.map((f) => f.format).sort()).toEqual(["docx", "json", "xlsx"]);
    for (const file of issuedFiles) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(sha256(await download(file.url))).toBe(file.sha256);
    }
    const retry = await call(`POST ${ED}/issue`, unit, { token: "ct-10621", ifMatch: '"3"' });
    expect(retry.status).toBe(200);
    expect(retry.body.issued.files.map((f: { sha256: string }) => f.sha256)).toEqual(
      issuedFiles.map((f) => f.sha256),
    );
    expect(retry.body.issued.at).toBe(issued.body.issued.at);
    const json = JSON.parse(
      (await download(issuedFiles.find((f) => f.format === "json")!.url)).toString("utf8"),
    );
    expect(json.edition.document.number).toBe("140/BC-UBND");
    expect(json.dossiers.total.received.total).toBe(2);
  });

  it("refuses to change an issued edition (409 edition_issued)", async () => {
    const refused = await call(`PUT ${ED}`, unit, {
      token: "cb-10621",
      ifMatch: '"3"',
      body: { texts: { III: "x" } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("edition_issued");
  });

  it("freezes: events after the issue change drift, never the issued files", async () => {
    await ingest([
      received("2023-06-01T08:00:00+07:00", {}, "E3"),
      received("2023-06-02T08:00:00+07:00", {}, "E4"),
    ]);
    const read = await call(`GET ${ED}`, unit, { token: "reader-30" });
    expect(read.body.drift).toEqual({ received: 2, resolved: 0, pending: 2 });
    expect(read.body.issued.files.map((f: { sha256: string }) => f.sha256)).toEqual(
      issuedFiles.map((f) => f.sha256),
    );
    for (const file of read.body.issued.files) expect(sha256(await download(file.url))).toBe(file.sha256);
  });

  it("lists the commune in the province's panel (issued, with drift) and bundles its Word and Excel", async () => {
    const panel = await call(
      "GET /v1/editions",
      {},
      { token: "viewer-30", query: { provinceCode: "30", year: "2023" } },
    );
    expect(panel.status).toBe(200);
    const communes = communesOfProvince("30", "2023-12-14");
    expect(panel.body.total).toBe(communes.length);
    expect(panel.body.issued).toBe(1);
    expect(panel.body.communes).toHaveLength(communes.length);
    const last = panel.body.communes.at(-1);
    expect(last).toMatchObject({
      communeCode: "10621",
      status: "issued",
      number: "140/BC-UBND",
      date: "2023-12-14",
    });
    expect(last.drift).toEqual({ received: 2, resolved: 0, pending: 2 });
    expect(panel.body.communes[0].status).toBe("none");
    const exported = await call(
      "GET /v1/editions",
      {},
      { token: "viewer-30", query: { provinceCode: "30", year: "2023", format: "xlsx" } },
    );
    expect((await download(exported.body.url)).subarray(0, 2).toString()).toBe("PK");
    const bundle = await call(
      "GET /v1/editions/bundle",
      {},
      { token: "reader-30", query: { provinceCode: "30", year: "2023" } },
    );
    expect(bundle.status).toBe(200);
    const zip = await JSZip.loadAsync(await download(bundle.body.url));
    expect(Object.keys(zip.files).sort()).toEqual(["10621 Xã Quốc Tuấn.docx", "10621 Xã Quốc Tuấn.xlsx"]);
    const docx = await zip.file("10621 Xã Quốc Tuấn.docx")!.async("nodebuffer");
    expect(sha256(docx)).toBe(issuedFiles.find((f) => f.format === "docx")!.sha256);
  });

  it("starts the province's edition with its communes' issued numbers summed, `n of N` beside, and issues it", async () => {
    const province = { unit: "30", year: "2023" };
    const created = await call(`POST ${ED}`, province, { token: "issuer-30" });
    expect(created.status).toBe(201);
    expect(created.body.numbers).toEqual(DEMO_EDITION.numbers);
    expect(created.body.fromCommunes).toMatchObject({
      issued: 1,
      total: communesOfProvince("30", "2023-12-14").length,
      numbers: DEMO_EDITION.numbers,
    });
    const saved = await call(`PUT ${ED}`, province, {
      token: "issuer-30",
      ifMatch: '"1"',
      body: { numbers: { publications: 400 }, document: { ...DEMO_EDITION.document, number: "12/BC-UBND" } },
    });
    expect(saved.body.numbers.publications).toBe(400);
    const issued = await call(`POST ${ED}/issue`, province, { token: "issuer-30", ifMatch: '"2"' });
    expect(issued.status).toBe(200);
    expect(issued.body.issued.files.map((f: { format: string }) => f.format).sort()).toEqual([
      "json",
      "xlsx",
    ]);
    expect(issued.body.drift).toEqual({ received: 0, resolved: 0, pending: 0 });
    // A commune's people cannot write the province's edition.
    expect((await call(`PUT ${ED}`, province, { token: "cb-10621", ifMatch: '"2"', body: {} })).status).toBe(
      403,
    );
  });

  it("refuses the panel to a commune's people (403)", async () => {
    const refused = await call(
      "GET /v1/editions",
      {},
      { token: "cb-10621", query: { provinceCode: "30", year: "2023" } },
    );
    expect(refused.status).toBe(403);
  });

  it("corrects: a new draft (edition 2); once issued the first is superseded and both stay readable", async () => {
    const correction = await call(`POST ${ED}/correction`, unit, { token: "cb-10621" });
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({ edition: 2, status: "draft", corrects: 1, revision: 4 });
    const twice = await call(`POST ${ED}/correction`, unit, { token: "cb-10621" });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("edition_exists");
    const saved = await call(`PUT ${ED}`, unit, {
      token: "cb-10621",
      ifMatch: '"4"',
      body: { document: { number: "141/BC-UBND", date: "2023-12-20" } },
    });
    expect(saved.status).toBe(200);
    const issued = await call(`POST ${ED}/issue`, unit, { token: "ct-10621", ifMatch: '"5"' });
    expect(issued.body).toMatchObject({ edition: 2, status: "issued" });
    const first = await call(`GET ${ED}`, unit, { token: "reader-30", query: { edition: "1" } });
    expect(first.body).toMatchObject({ edition: 1, status: "superseded" });
    expect(first.body.issued.files.map((f: { sha256: string }) => f.sha256)).toEqual(
      issuedFiles.map((f) => f.sha256),
    );
    const current = await call(`GET ${ED}`, unit, { token: "reader-30" });
    expect(current.body).toMatchObject({ edition: 2, status: "issued", document: { number: "141/BC-UBND" } });
  });

  it("carries the issued edition over to next year's draft, but not its number and date", async () => {
    const next = await call(`POST ${ED}`, { unit: "10621", year: "2024" }, { token: "cb-10621" });
    expect(next.status).toBe(201);
    expect(next.body.carriedFrom).toEqual({ year: 2023, edition: 2 });
    expect(next.body.texts.III).toBe(DEMO_EDITION.texts?.III);
    expect(next.body.numbers.procedures).toEqual({ total: 137, central: 137, provincial: 0 });
    expect(next.body.document.recipients).toEqual(DEMO_EDITION.document?.recipients);
    expect(next.body.document.number).toBeUndefined();
    expect(next.body.document.date).toBeUndefined();
  });
});

describe("bad input: a 4xx with its code, and nothing written", () => {
  const target = { unit: "10618", year: "2023" };

  beforeAll(async () => {
    const created = await call(`POST ${ED}`, target, { token: "cb-10618" });
    expect(created.status).toBe(201);
  });

  it.each([
    [
      "an oversized text",
      { texts: { "I.1": "a".repeat(MAX_SECTION_CHARS + 1) } },
      '"1"',
      400,
      "invalid_body",
    ],
    ["an unknown section id", { texts: { "I.15": "x" } }, '"1"', 400, "invalid_body"],
    ["a negative number", { numbers: { publications: -1 } }, '"1"', 400, "invalid_body"],
    ["a fractional number", { numbers: { reviewed: { procedures: 1.5 } } }, '"1"', 400, "invalid_body"],
    [
      "a date outside the period's year and the next",
      { document: { date: "2025-01-01" } },
      '"1"',
      400,
      "invalid_body",
    ],
    ["a control character", { texts: { "I.1": "a\u0000b" } }, '"1"', 400, "invalid_body"],
    ["no If-Match", { texts: { "I.1": "x" } }, undefined, 428, "precondition_required"],
    ["a stale revision", { texts: { "I.1": "x" } }, '"7"', 412, "edition_conflict"],
    ["a body that is not JSON", "{", '"1"', 400, "invalid_body"],
    [
      "an edition over 200 KB",
      {
        texts: Object.fromEntries(
          ["I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "I.7", "I.8", "I.9", "I.10", "I.11"].map((id) => [
            id,
            "ạ".repeat(10_000),
          ]),
        ),
      },
      '"1"',
      413,
      "edition_too_large",
    ],
  ] as const)("%s", async (_, body, ifMatch, status, code) => {
    const before = [
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ];
    const refused = await call(`PUT ${ED}`, target, {
      token: "cb-10618",
      body,
      ...(ifMatch ? { ifMatch } : {}),
    });
    expect(refused.status).toBe(status);
    expect(refused.body.error.code).toBe(code);
    expect([
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ]).toEqual(before);
  });

  it.each([
    ["writing outside the grant", "cb-10621", `PUT ${ED}`, 403, "forbidden"],
    ["an access code writing", "reader-30", `PUT ${ED}`, 403, "forbidden"],
    ["a viewer writing", "viewer-30", `PUT ${ED}`, 403, "forbidden"],
    ["an editor issuing", "editor-30", `POST ${ED}/issue`, 403, "forbidden"],
    ["issuing an incomplete edition", "issuer-30", `POST ${ED}/issue`, 400, "edition_incomplete"],
    ["no token", undefined, `PUT ${ED}`, 401, "unauthorized"],
  ] as const)("%s", async (_, token, route, status, code) => {
    const before = [
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ];
    const refused = await call(route, target, {
      ...(token ? { token } : {}),
      ifMatch: '"1"',
      body: { texts: { "I.1": "x" } },
    });
    expect(refused.status).toBe(status);
    expect(refused.body.error.code).toBe(code);
    expect([
      await editionItems(table.client, table.tableName),
      await editionObjects(bucket.s3, bucket.bucketName),
    ]).toEqual(before);
  });

  it("answers 404 for a unit the registry does not know and for an edition never created", async () => {
    expect(
      (await call(`GET ${ED}`, { unit: "99999", year: "2023" }, { token: "reader-30" })).body.error.code,
    ).toBe("unit_not_found");
    expect(
      (await call(`GET ${ED}`, { unit: "10633", year: "2023" }, { token: "reader-30" })).body.error.code,
    ).toBe("edition_not_found");
  });

  it("writes one audit record in the same transaction as each accepted write", async () => {
    const items = await editionItems(table.client, table.tableName);
    expect(items.filter((item) => item.startsWith("AU#10618|"))).toHaveLength(1);
    const audits = items.filter((item) => item.startsWith("AU#10621|"));
    // create, 4 saves, 2 issues, 1 correction (the 2024 draft is 10621's too: 1 more)
    expect(audits.map((a) => a.split("|")[1]!.split("#").at(-1)).sort()).toEqual(
      [
        "edition.correct",
        "edition.create",
        "edition.create",
        "edition.issue",
        "edition.issue",
        "edition.save",
        "edition.save",
        "edition.save",
      ].sort(),
    );
  });
});
