import fc from "fast-check";
import type { Event } from "../../shared/domain/events";

/**
 * Random subject histories for the oracle: every event type, arbitrary (also absurd) orders in
 * time, missing receptions, corrections, and both `Z` and `+07:00` spellings of instants.
 */
const START = Date.parse("2022-11-01T00:00:00Z");
const SPAN_MINUTES = 16 * 30 * 24 * 60; // about 16 months: crosses two reporting years

const instant = fc.integer({ min: 0, max: SPAN_MINUTES }).map((minutes) => START + minutes * 60_000);
const spelled = (ms: number, local: boolean) =>
  local
    ? `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`
    : new Date(ms).toISOString().replace(".000Z", "Z");
const timestamp = fc.tuple(instant, fc.boolean()).map(([ms, local]) => spelled(ms, local));
const maybeDue = fc.option(timestamp, { nil: null });

const details = (communes: readonly string[]) =>
  fc.record({
    communeCode: fc.constantFrom(...communes),
    fieldCode: fc.constantFrom("HT", "CT", "BTXH"),
    procedureCode: fc.constantFrom("1.001193", "2.000908"),
    channel: fc.constantFrom("online", "direct", "postal"),
    dueAt: maybeDue,
    digitization: fc.constantFrom("none", "partial", "full"),
    feeRequired: fc.boolean(),
    electronicCertification: fc.boolean(),
    interlink: fc.option(
      fc.record({
        scope: fc.constantFrom("same-level", "cross-level"),
        bundle: fc.constantFrom("KS-TT-BHYT", "KT-TT"),
      }),
      { nil: undefined },
    ),
  });

type Body = Record<string, unknown>;
const dossierBody = (communes: readonly string[]): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 1, arbitrary: details(communes).map((d) => ({ type: "dossier.updated", ...pick(d) })) },
    { weight: 1, arbitrary: maybeDue.map((dueAt) => ({ type: "dossier.supplement_requested", dueAt })) },
    { weight: 1, arbitrary: maybeDue.map((dueAt) => ({ type: "dossier.supplement_received", dueAt })) },
    { weight: 1, arbitrary: fc.constant({ type: "dossier.paused", reason: "financial-obligation" }) },
    { weight: 1, arbitrary: maybeDue.map((dueAt) => ({ type: "dossier.resumed", dueAt })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(timestamp, fc.boolean())
        .map(([dueAt, apology]) => ({ type: "dossier.deadline_extended", dueAt, apology })),
    },
    {
      weight: 4,
      arbitrary: fc.boolean().map((resultDigitized) => ({ type: "dossier.resolved", resultDigitized })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom("direct", "postal", "online")
        .map((returnChannel) => ({ type: "dossier.returned", returnChannel })),
    },
    { weight: 1, arbitrary: fc.constant({ type: "dossier.withdrawn" }) },
    { weight: 1, arbitrary: fc.constant({ type: "dossier.rejected" }) },
    {
      weight: 1,
      arbitrary: fc.boolean().map((paidOnline) => ({ type: "dossier.payment", paidOnline, amount: 10000 })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("very-satisfied", "satisfied", "unsatisfied")
        .map((rating) => ({ type: "dossier.rated", rating })),
    },
  );

function pick(d: Record<string, unknown>): Body {
  // A correction carries a random subset of the reception's fields.
  const keys = Object.keys(d).filter((_, i) => (i * 7 + Object.keys(d).length) % 3 === 0);
  return Object.fromEntries(keys.map((k) => [k, d[k]]));
}

export interface GeneratedSubject {
  kind: "dossier" | "feedback";
  events: Event[];
}

/** One dossier: usually a reception, then 0–6 other events at arbitrary times. */
export const dossierHistory = (communes: readonly string[]) =>
  fc
    .record({
      received: fc.option(fc.tuple(timestamp, details(communes)), { freq: 8, nil: undefined }),
      others: fc.array(fc.tuple(timestamp, dossierBody(communes)), { maxLength: 6 }),
    })
    .map(({ received, others }) => {
      const bodies: [string, Body][] = received
        ? [[received[0], { type: "dossier.received", ...received[1] }], ...others]
        : others;
      return bodies.map(([occurredAt, body]) => ({ ...body, occurredAt }));
    });

export const feedbackHistory = (communes: readonly string[]) =>
  fc
    .record({
      received: fc.option(
        fc.record({
          occurredAt: timestamp,
          communeCode: fc.constantFrom(...communes),
          fieldCode: fc.constantFrom("HT", "CT"),
          kind: fc.constantFrom("regulation", "behavior"),
        }),
        { freq: 6, nil: undefined },
      ),
      resolved: fc.option(fc.record({ occurredAt: timestamp, published: fc.boolean() }), { nil: undefined }),
    })
    .map(({ received, resolved }) => [
      ...(received ? [{ type: "feedback.received", ...received }] : []),
      ...(resolved ? [{ type: "feedback.resolved", ...resolved }] : []),
    ]);

/** A case: a few dossiers and feedbacks, events named and numbered so each case is its own namespace. */
export const subjectHistories = (communes: readonly string[]) =>
  fc
    .record({
      dossiers: fc.array(dossierHistory(communes), { minLength: 1, maxLength: 5 }),
      feedbacks: fc.array(feedbackHistory(communes), { maxLength: 2 }),
    })
    .map(({ dossiers, feedbacks }): GeneratedSubject[] => {
      let n = 0;
      return [
        ...dossiers.map((events, d) => ({
          kind: "dossier" as const,
          events: events.map((e) => ({ ...e, id: `e${n++}`, dossierCode: `D${d}` }) as unknown as Event),
        })),
        ...feedbacks.map((events, f) => ({
          kind: "feedback" as const,
          events: events.map((e) => ({ ...e, id: `e${n++}`, feedbackCode: `F${f}` }) as unknown as Event),
        })),
      ];
    });

/** How each event is delivered: shuffled, some repeated, spread over concurrent senders. */
export const deliveryPlan = (eventCount: number) =>
  fc.record({
    order: fc.shuffledSubarray(
      Array.from({ length: eventCount }, (_, i) => i),
      { minLength: eventCount, maxLength: eventCount },
    ),
    repeats: fc.array(fc.nat({ max: Math.max(0, eventCount - 1) }), { maxLength: Math.ceil(eventCount / 2) }),
    batchSize: fc.integer({ min: 1, max: 6 }),
  });

/** A case of the oracle: histories in two placeholder communes `C0`, `C1`, and how to deliver them. */
export const oracleCase = subjectHistories(["C0", "C1"]).chain((subjects) =>
  fc.tuple(fc.constant(subjects), deliveryPlan(subjects.flatMap((s) => s.events).length)),
);

/** Places a case's subjects in real commune codes, so that each case has aggregates of its own. */
export function inCommunes(
  subjects: readonly GeneratedSubject[],
  communes: readonly [string, string],
): GeneratedSubject[] {
  const rename = (code: string) => (code === "C0" ? communes[0] : communes[1]);
  return subjects.map((s) => ({
    kind: s.kind,
    events: s.events.map((e) =>
      "communeCode" in e && e.communeCode ? ({ ...e, communeCode: rename(e.communeCode) } as Event) : e,
    ),
  }));
}

/** The events in delivery order: the plan's permutation, then its repeats. */
export function deliveries(
  subjects: readonly GeneratedSubject[],
  plan: { order: number[]; repeats: number[] },
): Event[] {
  const all = subjects.flatMap((s) => s.events);
  return [...plan.order, ...plan.repeats].map((i) => all[i]!);
}
