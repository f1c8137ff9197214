/**
 * Signs and sends two events (a dossier received and resolved at xã Quốc Tuấn in 2023) to the intake.
 *   npx tsx scripts/send-example.ts [baseUrl]      (env SOURCE_ID, SOURCE_SECRET; default the local `demo` source)
 */
import { randomUUID } from "node:crypto";
import { signPayload } from "../shared/intake/signature";
import { DEMO_SOURCE } from "../shared/intake/sources";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:3000";
const sourceId = process.env.SOURCE_ID ?? DEMO_SOURCE.id;
const secret = process.env.SOURCE_SECRET ?? DEMO_SOURCE.secrets[0]!;

const body = JSON.stringify({
  events: [
    {
      id: "example-000001",
      type: "dossier.received",
      dossierCode: "000.00.21.H26-230302-0001",
      occurredAt: "2023-03-02T08:15:00+07:00",
      communeCode: "10621",
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      procedureCode: "1.001193",
      procedureName: "Thủ tục đăng ký khai sinh",
      channel: "online",
      dueAt: "2023-03-03T17:00:00+07:00",
    },
    {
      id: "example-000002",
      type: "dossier.resolved",
      dossierCode: "000.00.21.H26-230302-0001",
      occurredAt: "2023-03-02T15:40:00+07:00",
    },
  ],
});

// The signature covers `{webhook-id}.{webhook-timestamp}.{body}`: send exactly the bytes signed.
const headers = { "content-type": "application/json", ...signPayload({ secret, id: randomUUID(), body }) };
const url = `${baseUrl}/v1/sources/${encodeURIComponent(sourceId)}/events`;
console.log(`POST ${url}\n${JSON.stringify(headers, null, 2)}\n${body}\n`);

const response = await fetch(url, { method: "POST", headers, body });
console.log(`${response.status} ${response.statusText}\n${await response.text()}`);
