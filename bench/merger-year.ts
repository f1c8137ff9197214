/**
 * A reporting year that spans the 1 July 2025 reorganization, as events (docs/reports.md): xã Quốc Tuấn
 * (10621), xã Hiệp Cát (10618) and the old xã Trần Phú (10633) of huyện Nam Sách, tỉnh Hải Dương
 * until 30 June 2025, then the new xã Trần Phú (10633) of thành phố Hải Phòng (31).
 *
 * - the three old communes: their year 2024 in full (with what 2023 left them), and 2025 up to
 *   30 June (with what 2024 left them), under their own codes;
 * - dossiers received under the old codes in June 2025 and resolved after 1 July (one late), one
 *   received on 30 June at 23:30 and resolved on 1 July, and one left overdue to the year's end;
 * - the new commune from 1 July 2025, under code 10633.
 *
 * Deterministic from its seed. Used by `npm run demo -- --merger`, the report benchmark and the
 * reorganization test.
 */
import type { Event } from "../shared/domain/events";
import { generateCommuneYear } from "./realistic-year";

export const MERGER = {
  /** The new commune (from 2025-07-01) and its province. */
  communeCode: "10633",
  provinceCode: "31",
  /** Its predecessors, all full: xã Hiệp Cát, xã Quốc Tuấn, the old xã Trần Phú. */
  predecessors: ["10618", "10621", "10633"],
  oldProvinceCode: "30",
  year: 2025,
  firstNewDay: "2025-07-01",
} as const;

export interface MergerYearOptions {
  /** Dossiers per commune and year (the generated years are cut at the merger). */
  dossiers: number;
  seed: number;
}

const localDay = (occurredAt: string) =>
  new Date(Date.parse(occurredAt) + 7 * 3600_000).toISOString().slice(0, 10);

/** Keeps the subjects (dossiers, feedbacks) whose opening event is dated as `keep` says. */
function subjectsOpened(events: Event[], keep: (day: string) => boolean): Event[] {
  const opened = new Map<string, string>();
  const keyOf = (event: Event) =>
    "dossierCode" in event
      ? `d:${event.dossierCode}`
      : `f:${(event as { feedbackCode: string }).feedbackCode}`;
  for (const event of events) {
    if (event.type === "dossier.received" || event.type === "feedback.received") {
      opened.set(keyOf(event), localDay(event.occurredAt));
    }
  }
  return events.filter((event) => {
    const day = opened.get(keyOf(event));
    return day !== undefined && keep(day);
  });
}

/** Dossiers of an old commune that cross the merger day. */
function crossingDossiers(communeCode: string): Event[] {
  const events: Event[] = [];
  let n = 0;
  const dossier = (
    receivedAt: string,
    dueAt: string,
    then: { type: "dossier.resolved" | "dossier.returned"; at: string } | undefined,
  ) => {
    const dossierCode = `000.00.${communeCode}.MERGER.${++n}`;
    const id = (k: string) => `${dossierCode}.${k}`;
    events.push({
      type: "dossier.received",
      id: id("r"),
      occurredAt: receivedAt,
      dossierCode,
      communeCode,
      fieldCode: "BTXH",
      fieldName: "Bảo trợ xã hội",
      procedureCode: "1.001776",
      procedureName: "Thủ tục thực hiện trợ cấp xã hội hằng tháng",
      channel: "online",
      dueAt,
      digitization: "full",
    });
    if (then?.type === "dossier.resolved") {
      events.push({
        type: "dossier.resolved",
        id: id("s"),
        occurredAt: then.at,
        dossierCode,
        resultDigitized: true,
      });
    }
  };
  dossier("2025-06-16T09:00:00+07:00", "2025-07-10T17:00:00+07:00", {
    type: "dossier.resolved",
    at: "2025-07-08T10:00:00+07:00",
  });
  dossier("2025-06-20T09:00:00+07:00", "2025-07-31T17:00:00+07:00", {
    type: "dossier.resolved",
    at: "2025-08-12T10:00:00+07:00", // late, resolved by the new commune's desk under the old code
  });
  dossier("2025-06-30T23:30:00+07:00", "2025-07-03T17:00:00+07:00", {
    type: "dossier.resolved",
    at: "2025-07-01T08:30:00+07:00",
  });
  dossier("2025-05-20T09:00:00+07:00", "2025-06-25T17:00:00+07:00", undefined); // overdue to the end
  return events;
}

export function generateMergerYear({ dossiers, seed }: MergerYearOptions): Event[] {
  const events: Event[] = [];
  MERGER.predecessors.forEach((communeCode, i) => {
    events.push(...generateCommuneYear({ communeCode, year: 2024, dossiers, seed: seed + i }));
    const year2025 = generateCommuneYear({ communeCode, year: 2025, dossiers, seed: seed + 10 + i });
    events.push(...subjectsOpened(year2025, (day) => day < MERGER.firstNewDay));
    events.push(...crossingDossiers(communeCode));
  });
  const newCommune = generateCommuneYear({
    communeCode: MERGER.communeCode,
    year: 2025,
    dossiers,
    seed: seed + 20,
  });
  events.push(...subjectsOpened(newCommune, (day) => day >= MERGER.firstNewDay));
  return events;
}
