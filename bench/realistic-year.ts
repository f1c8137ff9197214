/**
 * A realistic year of one commune's one-stop desk, as events (docs/api.md#body-and-events), shaped like the seed
 * report (xã Quốc Tuấn, 2023, report 140/BC-UBND) and deterministic from its seed:
 *
 * - four fields in the seed's proportions: Hộ tịch 24% (its interlinked bundles included),
 *   Chứng thực 72.6%, Bảo trợ xã hội 2.5%, Người có công 0.9%; ≈98.9% received online, a few
 *   direct and by post;
 * - about 21 dossiers per 3,300 carried over from the previous year (received in its last month,
 *   resolved in January), two still pending at the year's end (one paused for a financial obligation);
 * - one late dossier per 3,300, early or on-time resolutions otherwise, one deadline extension with an
 *   apology letter, supplements requested and received;
 * - digitization (≈99% fully digitized components, 99.6% digitized results), fees on every
 *   certification and most civil-status dossiers (≈44% paid online), electronic certification,
 *   interlinked bundles, satisfaction ratings, returns by post, a few dossiers not accepted, two
 *   feedbacks (PAKN).
 *
 * Used by `npm run demo`, `npm run bench:reports` and the intake benchmark.
 */
import { addDays, type LocalDate, periodRange } from "../shared/domain/calendar";
import type { Event } from "../shared/domain/events";

export interface CommuneYearOptions {
  communeCode: string;
  /** The reporting year (15/12 of year−1 → 14/12 of year). */
  year: number;
  /** Dossiers received in the year (the carried-over ones come on top). ≈3,300 for the seed. */
  dossiers: number;
  seed: number;
  /** Feedbacks (PAKN) received in the year; default 2 per 3,300 dossiers, at least 1. */
  feedbacks?: number;
}

interface Procedure {
  code: string;
  name: string;
}

interface FieldProfile {
  code: string;
  name: string;
  /** Share of the year's dossiers. */
  share: number;
  online: number;
  procedures: Procedure[];
  /** Calendar days from reception to the due date. */
  dueDays: [number, number];
  /** Share resolved before the due date (the rest on it). */
  early: number;
  feeShare: number;
}

const FIELDS: FieldProfile[] = [
  {
    code: "HT",
    name: "Hộ tịch",
    share: (723 + 63) / 3278, // the seed lists its 63 interlinked bundles apart; here they are civil status
    online: 714 / 721,
    procedures: [
      { code: "1.001193", name: "Thủ tục đăng ký khai sinh" },
      { code: "1.000894", name: "Thủ tục đăng ký kết hôn" },
      { code: "1.000656", name: "Thủ tục đăng ký khai tử" },
      { code: "1.004873", name: "Thủ tục cấp bản sao trích lục hộ tịch" },
      { code: "1.004884", name: "Thủ tục xác nhận tình trạng hôn nhân" },
    ],
    dueDays: [1, 3],
    early: 1,
    feeShare: 0.64,
  },
  {
    code: "CT",
    name: "Chứng thực",
    share: 2381 / 3278,
    online: 1,
    procedures: [
      { code: "2.000815", name: "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản" },
      { code: "2.000884", name: "Thủ tục chứng thực chữ ký trong các giấy tờ, văn bản" },
      { code: "2.001035", name: "Thủ tục chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản" },
    ],
    dueDays: [1, 2],
    early: 1,
    feeShare: 1,
  },
  {
    code: "BTXH",
    name: "Bảo trợ xã hội",
    share: 83 / 3278,
    online: 1,
    procedures: [
      {
        code: "1.001776",
        name: "Thủ tục thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng",
      },
      { code: "2.000286", name: "Thủ tục hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội" },
    ],
    dueDays: [10, 20],
    early: 0.767,
    feeShare: 0,
  },
  {
    code: "NCC",
    name: "Người có công",
    share: 28 / 3278,
    online: 0,
    procedures: [
      { code: "1.010803", name: "Thủ tục giải quyết chế độ trợ cấp thờ cúng liệt sĩ" },
      { code: "1.010819", name: "Thủ tục hưởng trợ cấp khi người có công đang hưởng trợ cấp ưu đãi từ trần" },
    ],
    dueDays: [15, 30],
    early: 0.852,
    feeShare: 0,
  },
];

export const BUNDLE_BIRTH = "Hộ tịch - Đăng ký thường trú - Quản lý thu, Sổ - thẻ";
export const BUNDLE_DEATH = "Hộ tịch - Đăng ký thường trú - Bảo trợ xã hội - Người có công";

/** mulberry32: a small, fast, deterministic generator. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
/** A local (UTC+7) instant as RFC 3339 with its offset. */
const at = (date: LocalDate, minutes: number) =>
  `${date}T${pad(Math.floor(minutes / 60))}:${pad(Math.floor(minutes % 60))}:00+07:00`;
const isWorkingDay = (date: LocalDate) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};
function workingDays(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) days.push(d);
  return days;
}
/** The first working day on or after `date`. */
function workingDayFrom(date: LocalDate): LocalDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** Exact counts per field for `total` dossiers (largest remainders). */
function allocate(total: number, shares: number[]): number[] {
  const raw = shares.map((share) => share * total);
  const counts = raw.map(Math.floor);
  const order = raw
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < total; k++) counts[order[k % order.length]!.i]! += 1;
  return counts;
}

export function generateCommuneYear(options: CommuneYearOptions): Event[] {
  const { communeCode, year, dossiers, seed } = options;
  const random = generator(seed);
  const chance = (p: number) => random() < p;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

  const range = periodRange({ kind: "year", year });
  const days = workingDays(range.from, range.to);
  const scale = dossiers / 3278;
  const events: Event[] = [];
  let sequence = 0;
  let eventNumber = 0;
  // Ids and dossier codes depend on every option, so that two different generated years never
  // share an id (which would be an id conflict) or a dossier code (which would merge two dossiers).
  const tag = (Math.imul(seed + 1, 2654435761) ^ Math.imul(dossiers + 7, 40503) ^ year)
    .toString(36)
    .replace("-", "n");
  const idPrefix = `${communeCode}.${year}.${tag}`;
  const nextId = () => `${idPrefix}.${++eventNumber}`;
  const newCode = (received: LocalDate) =>
    `000.${tag}.${communeCode}.${received.slice(2).replaceAll("-", "")}.${pad(++sequence, 5)}`;

  type Plan = {
    field: FieldProfile;
    receivedOn: LocalDate;
    channel: "online" | "direct" | "postal";
    /** null: still pending at the year's end. */
    outcome: "early" | "onTime" | "late" | null;
    paused?: boolean;
    apology?: boolean;
    supplement?: boolean;
    bundle?: string;
    rejected?: boolean;
    /** Carried over: due and resolved in the new year. */
    dueAtLeast?: LocalDate;
    resolveFrom?: LocalDate;
  };

  const emit = (plan: Plan) => {
    const { field } = plan;
    const dossierCode = newCode(plan.receivedOn);
    const procedure = pick(field.procedures);
    const receivedMinutes = between(7 * 60 + 30, 16 * 60 + 30);
    const receivedAt = at(plan.receivedOn, receivedMinutes);
    let dueOn = workingDayFrom(addDays(plan.receivedOn, between(field.dueDays[0], field.dueDays[1])));
    if (plan.dueAtLeast && dueOn < plan.dueAtLeast) dueOn = workingDayFrom(plan.dueAtLeast);
    const dueAt = at(dueOn, 17 * 60);
    const digitization = chance(0.0012) ? "none" : chance(0.0085) ? "partial" : "full";
    const feeRequired = chance(field.feeShare);
    const interlink =
      plan.bundle !== undefined
        ? { scope: "cross-level" as const, bundle: plan.bundle }
        : field.code === "BTXH" || field.code === "NCC"
          ? { scope: "cross-level" as const }
          : undefined;
    const dossier = { dossierCode };
    events.push({
      type: "dossier.received",
      id: nextId(),
      occurredAt: receivedAt,
      ...dossier,
      communeCode,
      fieldCode: field.code,
      fieldName: field.name,
      procedureCode: procedure.code,
      procedureName: procedure.name,
      channel: plan.channel,
      dueAt,
      digitization,
      ...(interlink ? { interlink } : {}),
      ...(field.code === "CT" && chance(415 / 2381) ? { electronicCertification: true } : {}),
      ...(feeRequired ? { feeRequired: true } : {}),
    });
    if (plan.rejected) {
      events.push({
        type: "dossier.rejected",
        id: nextId(),
        occurredAt: at(plan.receivedOn, receivedMinutes + 20),
        ...dossier,
      });
      return;
    }
    if (feeRequired) {
      events.push({
        type: "dossier.payment",
        id: nextId(),
        occurredAt: at(plan.receivedOn, receivedMinutes + 5),
        ...dossier,
        paidOnline: plan.channel === "online" && chance(1249 / 2842 / 0.99),
        amount: field.code === "CT" ? 2000 * between(1, 10) : 8000,
      });
    }
    if (plan.supplement) {
      const asked = workingDayFrom(addDays(plan.receivedOn, 2));
      events.push({
        type: "dossier.supplement_requested",
        id: nextId(),
        occurredAt: at(asked, 9 * 60),
        ...dossier,
      });
      events.push({
        type: "dossier.supplement_received",
        id: nextId(),
        occurredAt: at(workingDayFrom(addDays(asked, 3)), 10 * 60),
        ...dossier,
        dueAt,
      });
    }
    if (plan.paused) {
      events.push({
        type: "dossier.paused",
        id: nextId(),
        occurredAt: at(workingDayFrom(addDays(plan.receivedOn, 3)), 14 * 60),
        ...dossier,
        reason: "financial-obligation",
      });
    }
    if (plan.outcome === null) return;

    let due = dueOn;
    if (plan.apology) {
      // The due date is re-set once, with an apology letter, before it passes.
      due = workingDayFrom(addDays(dueOn, 5));
      events.push({
        type: "dossier.deadline_extended",
        id: nextId(),
        occurredAt: at(addDays(dueOn, -1), 15 * 60),
        ...dossier,
        dueAt: at(due, 17 * 60),
        apology: true,
      });
    }
    let resolvedOn: LocalDate;
    let resolvedMinutes: number;
    if (plan.outcome === "late") {
      resolvedOn = workingDayFrom(addDays(due, 2));
      resolvedMinutes = 10 * 60;
    } else if (plan.outcome === "onTime") {
      resolvedOn = due;
      resolvedMinutes = 15 * 60;
    } else if (field.dueDays[1] <= 3 && plan.resolveFrom === undefined) {
      // Civil status and certification: the same day, a few hours later.
      resolvedOn = plan.receivedOn;
      resolvedMinutes = Math.min(17 * 60 + 30, receivedMinutes + between(20, 240));
    } else {
      const from = plan.resolveFrom ?? addDays(plan.receivedOn, 1);
      const candidates = workingDays(from, addDays(due, -1));
      resolvedOn = candidates.length > 0 ? pick(candidates) : due;
      resolvedMinutes = between(8 * 60, 16 * 60);
    }
    const resolvedAt = at(resolvedOn, resolvedMinutes);
    events.push({
      type: "dossier.resolved",
      id: nextId(),
      occurredAt: resolvedAt,
      ...dossier,
      resultDigitized: chance(3221 / 3234),
    });
    if (plan.channel === "postal" || chance(0.6)) {
      const returnChannel =
        plan.channel === "postal" || chance(0.002)
          ? "postal"
          : plan.channel === "online"
            ? "online"
            : "direct";
      events.push({
        type: "dossier.returned",
        id: nextId(),
        occurredAt: at(resolvedOn, Math.min(17 * 60 + 45, resolvedMinutes + 30)),
        ...dossier,
        returnChannel,
      });
    }
    if (chance(0.3)) {
      const r = random();
      events.push({
        type: "dossier.rated",
        id: nextId(),
        occurredAt: at(resolvedOn, Math.min(17 * 60 + 50, resolvedMinutes + 40)),
        ...dossier,
        rating: r < 0.7 ? "very-satisfied" : r < 0.98 ? "satisfied" : "unsatisfied",
      });
    }
  };

  // Carried over from the previous year: received in its last month, resolved in January.
  const carried = Math.max(1, Math.round(21 * scale));
  const carriedNcc = Math.max(1, Math.round(carried / 21));
  const lastMonthOfPrevious = workingDays(addDays(range.from, -28), addDays(range.from, -1));
  for (let i = 0; i < carried; i++) {
    const field = i < carried - carriedNcc ? FIELDS[2]! : FIELDS[3]!;
    emit({
      field,
      receivedOn: pick(lastMonthOfPrevious),
      channel: field.code === "NCC" ? "direct" : "online",
      outcome: chance(field.early) ? "early" : "onTime",
      dueAtLeast: addDays(range.from, 10),
      resolveFrom: range.from,
    });
  }

  const counts = allocate(
    dossiers,
    FIELDS.map((field) => field.share),
  );
  const pendingAtEnd = Math.max(1, Math.round(2 * scale));
  const lateCount = Math.max(1, Math.round(scale));
  const birthBundles = Math.round(62 * scale);
  const deathBundles = Math.max(1, Math.round(scale));
  let postalLeft = Math.max(1, Math.round(2 * scale));
  const rejected = Math.round(3 * scale);
  // Fields with long deadlines are received early enough to be resolved within the year.
  const earlyDays = days.filter((d) => d <= `${year}-10-31`);
  const lastDays = days.filter((d) => d >= `${year}-12-01`);

  FIELDS.forEach((field, f) => {
    const count = counts[f]!;
    for (let i = 0; i < count; i++) {
      const long = field.dueDays[1] > 3;
      const pending = field.code === "NCC" && i < pendingAtEnd;
      const plan: Plan = {
        field,
        receivedOn: pending ? pick(lastDays) : pick(long ? earlyDays : days),
        channel: chance(field.online) ? "online" : "direct",
        outcome: pending ? null : chance(field.early) ? "early" : "onTime",
      };
      if (pending && i === 0) plan.paused = true;
      if (field.code === "HT") {
        if (i < lateCount) plan.outcome = "late";
        else if (i < lateCount + birthBundles) {
          plan.bundle = BUNDLE_BIRTH;
          plan.channel = "online";
        } else if (i < lateCount + birthBundles + deathBundles) {
          plan.bundle = BUNDLE_DEATH;
          plan.channel = "online";
        } else if (plan.channel === "direct" && postalLeft > 0) {
          plan.channel = "postal";
          postalLeft -= 1;
        }
      }
      if (field.code === "BTXH") {
        if (i === 0) {
          plan.apology = true;
          plan.outcome = "onTime";
        } else if (i % 25 === 1) plan.supplement = true;
      }
      if (field.code === "CT" && i < rejected) plan.rejected = true;
      emit(plan);
    }
  });

  // Feedback (PAKN): one on a regulation, resolved and published; one on behaviour, resolved.
  const feedbacks = options.feedbacks ?? Math.max(1, Math.round(2 * scale));
  for (let i = 0; i < feedbacks; i++) {
    const receivedOn = pick(earlyDays);
    const feedbackCode = `PAKN.${tag}.${communeCode}.${year}.${pad(i + 1, 3)}`;
    const kind = i % 2 === 0 ? "regulation" : "behavior";
    events.push({
      type: "feedback.received",
      id: nextId(),
      occurredAt: at(receivedOn, 9 * 60),
      feedbackCode,
      communeCode,
      fieldCode: i % 2 === 0 ? "HT" : "CT",
      kind,
    });
    events.push({
      type: "feedback.resolved",
      id: nextId(),
      occurredAt: at(workingDayFrom(addDays(receivedOn, 7)), 10 * 60),
      feedbackCode,
      published: kind === "regulation",
    });
  }
  return events;
}
