/**
 * Seeds a running stack through its real intake, as a one-stop system would: events signed with
 * the development source `demo`, sent over HTTP in small batches (the machine may be loaded).
 */
import { randomUUID } from "node:crypto";
import { generateCommuneYear } from "../../bench/realistic-year";
import type { Event } from "../../shared/domain/events";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_SOURCE } from "../../shared/intake/sources";

export async function sendSigned(baseUrl: string, events: Event[], batchSize = 100): Promise<void> {
  for (let i = 0; i < events.length; i += batchSize) {
    const body = JSON.stringify({ events: events.slice(i, i + batchSize) });
    for (let attempt = 1; ; attempt++) {
      const headers = {
        "content-type": "application/json",
        ...signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: `seed-${randomUUID()}`, body }),
      };
      const response = await fetch(`${baseUrl}/v1/sources/${DEMO_SOURCE.id}/events`, {
        method: "POST",
        headers,
        body,
      });
      const text = await response.text();
      if (response.status === 200) break;
      if (response.status >= 500 && attempt < 5) continue; // retried batches are idempotent
      throw new Error(`intake answered ${response.status}: ${text.slice(0, 500)}`);
    }
  }
}

/** A generated year of one commune (bench/realistic-year.ts, deterministic), sent through the intake. */
export async function seedCommuneYear(
  baseUrl: string,
  options: { communeCode: string; year: number; dossiers: number; seed?: number },
): Promise<number> {
  const events = generateCommuneYear({ ...options, seed: options.seed ?? options.year });
  await sendSigned(baseUrl, events);
  return events.length;
}
