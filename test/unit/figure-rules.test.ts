import { describe, expect, it } from "vitest";
import { type MonthKey, periodRange } from "../../shared/domain/calendar";
import { classifyResolution, contributionOf, pendingStatusAt } from "../../shared/domain/contribution";
import { COUNTER, parseAggregateKey } from "../../shared/domain/counters";
import type { Event } from "../../shared/domain/events";
import { foldSubject } from "../../shared/domain/fold";
import { type AggregateRecord, formII06a } from "../../shared/domain/form-ii06a";
import type { DossierState } from "../../shared/domain/subject-state";
import { dossierEvent, feedbackEvent, received } from "../support/events";

function records(events: Event[], kind: "dossier" | "feedback" = "dossier"): AggregateRecord[] {
  return [...contributionOf(foldSubject(kind, events))].map(([key, counters]) => ({
    ...parseAggregateKey(key),
    counters,
  }));
}

function form(events: Event[], period = periodRange({ kind: "year", year: 2023 })) {
  return formII06a(records(events), period).total;
}

const dossier = (events: Event[]) => foldSubject("dossier", events) as DossierState;

describe("resolution: early, on time or late by local calendar date", () => {
  it("counts a dossier resolved at 20:00 on its due date as on time", () => {
    expect(
      classifyResolution(Date.parse("2023-05-10T20:00:00+07:00"), Date.parse("2023-05-10T08:00:00+07:00")),
    ).toBe("onTime");
  });

  it("counts a dossier resolved at 00:30 local before an 08:00 deadline that day as on time", () => {
    expect(
      classifyResolution(Date.parse("2023-05-09T17:30:00Z"), Date.parse("2023-05-10T08:00:00+07:00")),
    ).toBe("onTime");
  });

  it("counts the day before the due date as early and the day after as late", () => {
    const due = Date.parse("2023-05-10T17:00:00+07:00");
    expect(classifyResolution(Date.parse("2023-05-09T23:59:00+07:00"), due)).toBe("early");
    expect(classifyResolution(Date.parse("2023-05-11T00:01:00+07:00"), due)).toBe("late");
  });

  it("counts a dossier without a due date as on time", () => {
    expect(classifyResolution(Date.parse("2023-05-11T00:01:00+07:00"), null)).toBe("onTime");
  });

  it("judges against an extension made before the resolution", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-05T17:00:00+07:00" }),
      dossierEvent("dossier.deadline_extended", "2023-05-04T09:00:00+07:00", {
        dueAt: "2023-05-12T17:00:00+07:00",
      }),
      dossierEvent("dossier.resolved", "2023-05-10T09:00:00+07:00"),
    ];
    expect(form(events).resolved).toEqual({ total: 1, early: 1, onTime: 0, late: 0 });
  });

  it("ignores an extension made after the resolution", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-05T17:00:00+07:00" }),
      dossierEvent("dossier.resolved", "2023-05-10T09:00:00+07:00"),
      dossierEvent("dossier.deadline_extended", "2023-05-11T09:00:00+07:00", {
        dueAt: "2023-05-12T17:00:00+07:00",
      }),
    ];
    expect(form(events).resolved).toEqual({ total: 1, early: 0, onTime: 0, late: 1 });
  });

  it("uses the first resolution, else the first return, as the resolution time", () => {
    const returnedOnly = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-05T17:00:00+07:00" }),
      dossierEvent("dossier.returned", "2023-05-06T09:00:00+07:00", { returnChannel: "postal" }),
    ];
    expect(form(returnedOnly).resolved.late).toBe(1);
    const both = [
      ...returnedOnly,
      dossierEvent("dossier.resolved", "2023-05-04T09:00:00+07:00"),
      dossierEvent("dossier.resolved", "2023-05-08T09:00:00+07:00"),
    ];
    expect(form(both).resolved).toEqual({ total: 1, early: 1, onTime: 0, late: 0 });
  });

  it("counts a withdrawn dossier as resolved on time, whatever its due date", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-02T17:00:00+07:00" }),
      dossierEvent("dossier.withdrawn", "2023-05-20T09:00:00+07:00"),
    ];
    expect(form(events).resolved).toEqual({ total: 1, early: 0, onTime: 1, late: 0 });
  });

  it("counts a rejected dossier nowhere", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00"),
      dossierEvent("dossier.rejected", "2023-05-01T09:00:00+07:00"),
    ];
    expect(contributionOf(foldSubject("dossier", events)).size).toBe(0);
  });

  it("contributes nothing until the dossier's reception arrives", () => {
    const events = [dossierEvent("dossier.resolved", "2023-05-04T09:00:00+07:00")];
    expect(contributionOf(foldSubject("dossier", events)).size).toBe(0);
  });
});

describe("received in a period, by channel", () => {
  it("splits online from direct and postal", () => {
    const events = [
      received("2023-02-01T08:00:00+07:00", { channel: "online" }, "A"),
      received("2023-02-01T08:00:00+07:00", { channel: "direct" }, "B"),
      received("2023-02-01T08:00:00+07:00", { channel: "postal" }, "C"),
    ];
    const all = ["A", "B", "C"].flatMap((code) =>
      records(events.filter((e) => "dossierCode" in e && e.dossierCode === code)),
    );
    const { total } = formII06a(all, periodRange({ kind: "year", year: 2023 }));
    expect(total.received).toEqual({ total: 3, online: 1, directOrPostal: 2, carriedOver: 0 });
  });

  it("moves a dossier to its corrected field and channel", () => {
    const events = [
      received("2023-02-01T08:00:00+07:00", { channel: "direct", fieldCode: "HT" }),
      dossierEvent("dossier.updated", "2023-02-02T08:00:00+07:00", { channel: "online", fieldCode: "CT" }),
    ];
    const { byField } = formII06a(records(events), periodRange({ kind: "year", year: 2023 }));
    expect(byField.map((row) => [row.fieldCode, row.received.online, row.received.directOrPostal])).toEqual([
      ["CT", 1, 0],
    ]);
  });
});

describe("carried over and pending at the period's end", () => {
  const q2 = periodRange({ kind: "quarter", year: 2023, quarter: 2 }); // 2023-03-15 → 2023-06-14

  it("carries over a dossier received before the period and still open at its start", () => {
    const events = [
      received("2023-03-01T08:00:00+07:00"),
      dossierEvent("dossier.resolved", "2023-04-01T08:00:00+07:00"),
    ];
    expect(form(events, q2).received).toEqual({ total: 1, online: 0, directOrPostal: 0, carriedOver: 1 });
    expect(form(events, q2).resolved.total).toBe(1);
  });

  it("does not carry over a dossier resolved before the period", () => {
    const events = [
      received("2023-03-01T08:00:00+07:00"),
      dossierEvent("dossier.resolved", "2023-03-10T08:00:00+07:00"),
    ];
    expect(form(events, q2).received.total).toBe(0);
  });

  it("keeps an open dossier pending at the end of every later month without any roll-forward", () => {
    const events = [received("2023-01-03T08:00:00+07:00", { dueAt: null })];
    for (const year of [2023, 2024, 2030]) {
      expect(form(events, periodRange({ kind: "year", year })).pending.total).toBe(1);
    }
  });

  it("counts a pending dossier whose due date is on or after the period's last day as within deadline", () => {
    const events = [received("2023-06-01T08:00:00+07:00", { dueAt: "2023-06-14T08:00:00+07:00" })];
    expect(form(events, q2).pending).toEqual({ total: 1, withinDeadline: 1, overdue: 0 });
  });

  it("counts a pending dossier past its due date at the period's end as overdue", () => {
    const events = [received("2023-06-01T08:00:00+07:00", { dueAt: "2023-06-13T17:00:00+07:00" })];
    expect(form(events, q2).pending).toEqual({ total: 1, withinDeadline: 0, overdue: 1 });
  });

  it("counts a dossier paused at the period's end as within deadline", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-10T17:00:00+07:00" }),
      dossierEvent("dossier.paused", "2023-05-05T08:00:00+07:00", { reason: "financial-obligation" }),
    ];
    expect(form(events, q2).pending).toEqual({ total: 1, withinDeadline: 1, overdue: 0 });
  });

  it("counts a dossier awaiting a supplement at the period's end as within deadline, and overdue once it is back", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-10T17:00:00+07:00" }),
      dossierEvent("dossier.supplement_requested", "2023-05-05T08:00:00+07:00"),
    ];
    expect(form(events, q2).pending.withinDeadline).toBe(1);
    const back = [...events, dossierEvent("dossier.supplement_received", "2023-06-01T08:00:00+07:00")];
    expect(form(back, q2).pending.overdue).toBe(1);
  });

  it("moves the due date when a supplement arrives with a new one", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", { dueAt: "2023-05-10T17:00:00+07:00" }),
      dossierEvent("dossier.supplement_requested", "2023-05-05T08:00:00+07:00"),
      dossierEvent("dossier.supplement_received", "2023-06-01T08:00:00+07:00", {
        dueAt: "2023-06-20T17:00:00+07:00",
      }),
    ];
    expect(form(events, q2).pending.withinDeadline).toBe(1);
    expect(pendingStatusAt(dossier(events), "2023-07" as MonthKey)).toBe("overdue");
  });

  it("keeps the identity received = online + direct/postal + carried over = resolved + pending", () => {
    const events = [
      received("2023-03-01T08:00:00+07:00", { dueAt: "2023-03-20T08:00:00+07:00" }, "A"),
      received("2023-04-01T08:00:00+07:00", { channel: "direct" }, "B"),
      dossierEvent("dossier.resolved", "2023-04-10T08:00:00+07:00", {}, "B"),
      received("2023-06-10T08:00:00+07:00", {}, "C"),
    ];
    const all = ["A", "B", "C"].flatMap((code) =>
      records(events.filter((e) => "dossierCode" in e && e.dossierCode === code)),
    );
    const { total } = formII06a(all, q2);
    expect(total.received.total).toBe(total.resolved.total + total.pending.total);
    expect(total.received).toEqual({ total: 3, online: 1, directOrPostal: 1, carriedOver: 1 });
  });

  it("counts a resolution stamped before the reception at the reception, never as negative pending", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00"),
      dossierEvent("dossier.resolved", "2023-04-01T08:00:00+07:00"),
    ];
    expect(form(events, q2)).toMatchObject({ resolved: { total: 1 }, pending: { total: 0 } });
  });
});

describe("what else the report needs, aggregated once", () => {
  it("counts digitization, fees paid online, interlink, e-certification and postal on the reception month", () => {
    const events = [
      received("2023-05-01T08:00:00+07:00", {
        channel: "postal",
        digitization: "full",
        feeRequired: true,
        interlink: { scope: "cross-level", bundle: "khai-sinh/thuong-tru/bhyt" },
        electronicCertification: true,
      }),
      dossierEvent("dossier.payment", "2023-05-02T08:00:00+07:00", { paidOnline: true, amount: 8000 }),
      dossierEvent("dossier.resolved", "2023-05-03T08:00:00+07:00", { resultDigitized: true }),
      dossierEvent("dossier.returned", "2023-05-04T08:00:00+07:00", { returnChannel: "postal" }),
      dossierEvent("dossier.rated", "2023-05-05T08:00:00+07:00", { rating: "very-satisfied" }),
    ];
    const counters = records(events).reduce<Record<string, number>>((sum, record) => {
      for (const [name, value] of Object.entries(record.counters)) sum[name] = (sum[name] ?? 0) + value;
      return sum;
    }, {});
    expect(counters).toMatchObject({
      [COUNTER.receivedPostal]: 1,
      [COUNTER.componentsFull]: 1,
      [COUNTER.feeRequired]: 1,
      [COUNTER.paidOnline]: 1,
      [COUNTER.interlinkCrossLevel]: 1,
      "il:khai-sinh/thuong-tru/bhyt": 1,
      [COUNTER.electronicCertification]: 1,
      [COUNTER.resultDigitized]: 1,
      [COUNTER.returnedByPost]: 1,
      [COUNTER.ratedVerySatisfied]: 1,
    });
  });

  it("counts feedback by kind, carried over while open, resolved and published", () => {
    const events = [
      feedbackEvent("feedback.received", "2023-03-01T08:00:00+07:00", {
        communeCode: "10621",
        fieldCode: "HT",
        kind: "behavior",
      }),
      feedbackEvent("feedback.resolved", "2023-05-01T08:00:00+07:00", { published: true }),
    ];
    const sums = records(events, "feedback");
    const q2 = periodRange({ kind: "quarter", year: 2023, quarter: 2 });
    const before = sums
      .filter((r) => r.month < q2.firstMonth)
      .reduce((n, r) => n + (r.counters[COUNTER.feedbackPending] ?? 0), 0);
    const inQ2 = sums.filter((r) => r.month >= q2.firstMonth && r.month <= q2.lastMonth);
    expect(before).toBe(1);
    expect(inQ2.reduce((n, r) => n + (r.counters[COUNTER.feedbackResolved] ?? 0), 0)).toBe(1);
    expect(inQ2.reduce((n, r) => n + (r.counters[COUNTER.feedbackPublished] ?? 0), 0)).toBe(1);
    expect(sums.reduce((n, r) => n + (r.counters[COUNTER.feedbackBehavior] ?? 0), 0)).toBe(1);
  });
});
