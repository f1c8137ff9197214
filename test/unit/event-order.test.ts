import { describe, expect, it } from "vitest";
import { canonicalKey, EVENT_TYPE_RANK, EVENT_TYPES, sortCanonically } from "../../shared/domain/events";
import { dossierEvent } from "../support/events";

describe("the canonical order's type ranks", () => {
  it("are pinned: stored heads compare new events with these ranks, so none may ever change", () => {
    // Changing a rank changes how events compare with the `last` key stored on every dossier head.
    // A new type takes a new rank (>= 15); existing ones keep theirs.
    expect(EVENT_TYPE_RANK).toEqual({
      "dossier.received": 0,
      "dossier.updated": 1,
      "dossier.supplement_requested": 2,
      "dossier.supplement_received": 3,
      "dossier.paused": 4,
      "dossier.resumed": 5,
      "dossier.deadline_extended": 6,
      "dossier.resolved": 7,
      "dossier.returned": 8,
      "dossier.withdrawn": 9,
      "dossier.rejected": 10,
      "dossier.payment": 11,
      "dossier.rated": 12,
      "feedback.received": 13,
      "feedback.resolved": 14,
    });
  });

  it("give every event type its own rank", () => {
    const ranks = EVENT_TYPES.map((type) => EVENT_TYPE_RANK[type]);
    expect(new Set(ranks).size).toBe(EVENT_TYPES.length);
  });

  it("break ties of the same instant by rank, then by id", () => {
    const at = "2023-03-01T08:00:00+07:00";
    const resolved = dossierEvent("dossier.resolved", at, {});
    const received = dossierEvent("dossier.received", at, {
      communeCode: "10621",
      fieldCode: "HT",
      procedureCode: "1.001193",
      channel: "online",
      dueAt: null,
    });
    expect(sortCanonically([resolved, received]).map((e) => e.type)).toEqual([
      "dossier.received",
      "dossier.resolved",
    ]);
    expect(canonicalKey(received)).toContain("|00|");
    expect(canonicalKey(resolved)).toContain("|07|");
  });
});
