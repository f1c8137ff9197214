/**
 * The data of `npm run bench:peer`: a province's dossiers as a provincial one-stop system keeps them,
 * one row per dossier (its dates, status, field, channel, commune), deterministic from a seed, and the
 * same dossiers as events of the event model, so that the SQL side and this product's aggregates
 * describe the very same history.
 *
 * A row carries what a one-stop system's dossier table holds today: its current status and due date,
 * not the history of holds and extensions, so the generated dossiers have none (both sides then
 * follow the same figure rules exactly: docs/architecture.md#figure-rules).
 */
import { contributionOf } from "../shared/domain/contribution";
import { addTo, type Contribution } from "../shared/domain/counters";
import type { Event } from "../shared/domain/events";
import { foldSubject } from "../shared/domain/fold";

export type Channel = "online" | "direct" | "postal";

/** DVCQG's status codes (TrangThaiHoSo), as such systems store them. */
export const STATUS = { processing: 4, rejected: 3, withdrawn: 7, finished: 9, returned: 10 } as const;

export interface DossierRow {
  code: string;
  provinceCode: string;
  communeCode: string;
  fieldCode: string;
  fieldName: string;
  procedureCode: string;
  channel: Channel;
  status: (typeof STATUS)[keyof typeof STATUS];
  receivedAt: number;
  dueAt: number | null;
  /** When processing ended: resolved, or withdrawn (NgayKetThucXuLy). */
  finishedAt: number | null;
  returnedAt: number | null;
}

/** The fields a commune desk handles, with their share of dossiers and days to the due date. */
export const FIELDS = [
  { code: "CT", name: "Chứng thực", share: 0.46, days: [0, 2], procedure: "2.000815" },
  { code: "HT", name: "Hộ tịch", share: 0.24, days: [1, 5], procedure: "1.001193" },
  { code: "DD", name: "Đất đai", share: 0.08, days: [10, 30], procedure: "1.004227" },
  { code: "BTXH", name: "Bảo trợ xã hội", share: 0.06, days: [5, 20], procedure: "2.000286" },
  { code: "NCC", name: "Người có công", share: 0.04, days: [5, 20], procedure: "1.010803" },
  {
    code: "KD",
    name: "Thành lập và hoạt động của hộ kinh doanh",
    share: 0.05,
    days: [3, 5],
    procedure: "2.000720",
  },
  { code: "XD", name: "Hoạt động xây dựng", share: 0.04, days: [10, 20], procedure: "1.009794" },
  { code: "TP", name: "Tư pháp - Hòa giải", share: 0.03, days: [3, 10], procedure: "2.002080" },
] as const;

function pickField(draw: number): (typeof FIELDS)[number] {
  let rest = draw;
  for (const field of FIELDS) {
    rest -= field.share;
    if (rest < 0) return field;
  }
  return FIELDS[0];
}

const DAY = 86_400_000;
const OFFSET = 7 * 3_600_000; // Asia/Ho_Chi_Minh

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first instant of reporting year `year` (15/12 of year−1, local midnight) and of the next. */
export function yearBounds(year: number): { from: number; to: number } {
  return {
    from: Date.parse(`${year - 1}-12-15T00:00:00+07:00`),
    to: Date.parse(`${year}-12-15T00:00:00+07:00`),
  };
}

/**
 * One commune's dossiers received in reporting year `year`: receptions on working hours through the
 * year; ≈1.5% not accepted, ≈1% withdrawn, ≈0.3% never closed; the others resolved, mostly early,
 * some on the due day, ≈4% late; 60% of the resolved have their result returned.
 */
export function communeYear(
  provinceCode: string,
  communeCode: string,
  year: number,
  dossiers: number,
): DossierRow[] {
  const next = random(Number(communeCode) * 7919 + year * 104_729);
  const { from, to } = yearBounds(year);
  const rows: DossierRow[] = [];
  for (let i = 0; i < dossiers; i++) {
    const field = pickField(next());
    const day = Math.floor(next() * ((to - from) / DAY));
    const receivedAt =
      from + day * DAY + (1 + Math.floor(next() * 9)) * 3_600_000 + Math.floor(next() * 3_600_000);
    const span = field.days[0] + Math.floor(next() * (field.days[1] - field.days[0] + 1));
    // Due at the end of its local day (17:00), or none for a few.
    const dueDay = Math.floor((receivedAt + OFFSET) / DAY) + span;
    const dueAt = next() < 0.03 ? null : dueDay * DAY - OFFSET + 17 * 3_600_000;
    const c = next();
    const channel: Channel = c < 0.72 ? "online" : c < 0.96 ? "direct" : "postal";
    const outcome = next();
    const due = dueAt ?? receivedAt + span * DAY;
    let status: DossierRow["status"] = STATUS.finished;
    let finishedAt: number | null;
    if (outcome < 0.015) {
      status = STATUS.rejected;
      finishedAt = receivedAt + 3_600_000;
    } else if (outcome < 0.025) {
      status = STATUS.withdrawn;
      finishedAt = receivedAt + Math.floor(next() * Math.max(1, due - receivedAt));
    } else if (outcome < 0.028) {
      status = STATUS.processing;
      finishedAt = null;
    } else if (outcome < 0.068) {
      finishedAt = due + (1 + Math.floor(next() * 10)) * DAY; // late
    } else if (outcome < 0.2) {
      finishedAt = Math.max(receivedAt + 60_000, due - Math.floor(next() * 8) * 3_600_000); // on the due day
    } else {
      finishedAt = receivedAt + Math.floor(next() * Math.max(60_000, due - receivedAt - DAY)); // early
    }
    let returnedAt: number | null = null;
    if (status === STATUS.finished && finishedAt !== null && next() < 0.6) {
      status = STATUS.returned;
      returnedAt = finishedAt + Math.floor(next() * 2 * DAY);
    }
    rows.push({
      code: `${communeCode}-${year}-${String(i).padStart(6, "0")}`,
      provinceCode,
      communeCode,
      fieldCode: field.code,
      fieldName: field.name,
      procedureCode: field.procedure,
      channel,
      status,
      receivedAt,
      dueAt,
      finishedAt,
      returnedAt,
    });
  }
  return rows;
}

const iso = (instant: number) => new Date(instant).toISOString();

/** The events a system that sends to this product's intake would have sent for the row. */
export function eventsOf(row: DossierRow): Event[] {
  const base = { dossierCode: row.code };
  const events: Event[] = [
    {
      type: "dossier.received",
      id: `${row.code}.r`,
      occurredAt: iso(row.receivedAt),
      ...base,
      communeCode: row.communeCode,
      fieldCode: row.fieldCode,
      fieldName: row.fieldName,
      procedureCode: row.procedureCode,
      channel: row.channel,
      dueAt: row.dueAt === null ? null : iso(row.dueAt),
    },
  ];
  const at = (instant: number | null) => iso(instant ?? row.receivedAt);
  if (row.status === STATUS.rejected)
    events.push({ type: "dossier.rejected", id: `${row.code}.x`, occurredAt: at(row.finishedAt), ...base });
  if (row.status === STATUS.withdrawn)
    events.push({ type: "dossier.withdrawn", id: `${row.code}.w`, occurredAt: at(row.finishedAt), ...base });
  if (row.status === STATUS.finished || row.status === STATUS.returned)
    events.push({ type: "dossier.resolved", id: `${row.code}.s`, occurredAt: at(row.finishedAt), ...base });
  if (row.status === STATUS.returned)
    events.push({
      type: "dossier.returned",
      id: `${row.code}.t`,
      occurredAt: at(row.returnedAt),
      ...base,
      returnChannel: row.channel === "postal" ? "postal" : "direct",
    });
  return events;
}

/** Adds the row's contribution to the aggregates, by the product's own fold and figure rules. */
export function addContribution(aggregates: Contribution, row: DossierRow, touched?: Set<string>): void {
  for (const [key, counters] of contributionOf(foldSubject("dossier", eventsOf(row)))) {
    addTo(aggregates, key, counters);
    touched?.add(key);
  }
}
