import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DvcqgClient, renderDossier, syncDossiers } from "../../bench/dvcqg-sender";
import { generateCommuneYear } from "../../bench/realistic-year";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { reportLinks } from "../../scripts/reports-client";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import type { Event } from "../../shared/domain/events";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../../shared/intake/sources";

/**
 * Personal data never stored, logged or returned (docs/dvcqg.md): a realistic sync whose
 * every personal value (holder's name, phone, e-mail, citizen id, address, file names and links,
 * free text, officials' names) carries a marker; afterwards the marker is nowhere in the table, in
 * the report files of the bucket, in the answers or in anything logged at DEBUG level.
 */
const MARKER = "Qx7PII";
const captured: string[] = [];
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.SOURCES_JSON;
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
  for (const stream of ["stdout", "stderr"] as const) {
    const original = writes[stream].bind(process[stream]);
    process[stream].write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return original(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  stack = await startLocalStack({
    port: 0,
    functions: ["dvcqg", "links", "meta"],
    log: (line) => captured.push(line),
  });
});
afterAll(async () => {
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
  await stack?.stop();
});

describe("personal data in DVCQG snapshots", () => {
  it("is found nowhere after a realistic sync and a report: not in the table, the bucket, the answers or the logs", async () => {
    const events = generateCommuneYear({ communeCode: "10621", year: 2023, dossiers: 40, seed: 7 });
    const byDossier = new Map<string, Event[]>();
    for (const event of events) {
      if (!("dossierCode" in event)) continue;
      byDossier.set(event.dossierCode, [...(byDossier.get(event.dossierCode) ?? []), event]);
    }
    const dossiers = [...byDossier.values()].map((list, i) => renderDossier(list, `${MARKER}${i}`));
    expect(JSON.stringify(dossiers)).toContain(`Nguyễn Văn ${MARKER}0`);

    const client = new DvcqgClient({
      baseUrl: stack.url,
      sourceId: DEMO_SOURCE.id,
      username: DEMO_SOURCE.dvcqg!.username,
      password: DEMO_SOURCE.dvcqg!.password,
      madonvi: "10621",
    });
    const stats = await syncDossiers(client, dossiers, { senders: 4, batchSize: 20, lookups: 10 });
    expect(stats.applied).toBeGreaterThan(40);
    // A rejected item with personal data in a bad field: the answer names the field, not the value.
    const rejected = await client.call("DongBoHoSoMC", {
      data: [{ ...dossiers[0]!.messages[1]!.item, NgayTiepNhan: `${MARKER}-date`, ChuHoSo: `${MARKER} X` }],
    });
    expect(rejected.status).toBe(422);
    expect(JSON.stringify(rejected.body)).not.toContain(MARKER);

    const links = await reportLinks(stack.url, DEMO_READER_TOKEN, { communeCode: "10621", year: 2023 }, true);
    expect(links.map((link) => link.format).sort()).toEqual(["docx", "json", "xlsx"]);

    // The table, item by item.
    const dynamo = dynamoClientFromEnv(process.env);
    let items = 0;
    let startKey: Record<string, never> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: stack.env.TABLE_NAME, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        items += 1;
        expect(JSON.stringify(item)).not.toContain(MARKER);
      }
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    expect(items).toBeGreaterThan(100);

    // The bucket, every object, unzipped where it is an Office file.
    const s3 = s3ClientFromEnv(process.env);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.env.BUCKET_NAME }));
    expect(listed.Contents?.length ?? 0).toBeGreaterThanOrEqual(3);
    for (const object of listed.Contents ?? []) {
      const body = Buffer.from(
        await (
          await s3.send(new GetObjectCommand({ Bucket: stack.env.BUCKET_NAME, Key: object.Key! }))
        ).Body!.transformToByteArray(),
      );
      const texts = /\.(xlsx|docx)$/.test(object.Key!)
        ? await Promise.all(
            Object.values((await JSZip.loadAsync(body)).files).map((file) => file.async("string")),
          )
        : [body.toString("utf8")];
      for (const text of texts) expect(text).not.toContain(MARKER);
    }

    // The logs, at DEBUG level.
    const logs = captured.join("\n");
    expect(logs).toContain("dvcqg batch synced");
    expect(logs).not.toContain(MARKER);
  }, 300_000);
});
