import { describe, expect, it } from "vitest";
import { localDateOf, monthEndInstant } from "../../shared/domain/calendar";
import { dueInForce, pendingStatusAt } from "../../shared/domain/contribution";
import { foldSubject } from "../../shared/domain/fold";
import { listingsOf } from "../../shared/domain/listings";
import { dossierEvent, received } from "../support/events";

describe("overdue listings", () => {
  it("give the due date in force at the month's last instant, even after an extension in its last half second", () => {
    // Received in reporting month 2023-03 (2023-02-15 → 2023-03-14), due on 1 March; extended to
    // 10 March at 23:59:59.500 on 14 March: still overdue at the month's end, now due on 10 March.
    const state = foldSubject("dossier", [
      received("2023-02-20T08:00:00+07:00", { dueAt: "2023-03-01T17:00:00+07:00" }),
      dossierEvent("dossier.deadline_extended", "2023-03-14T23:59:59.500+07:00", {
        dueAt: "2023-03-10T17:00:00+07:00",
      }),
    ]);
    if (state.kind !== "dossier") throw new Error("a dossier was folded");
    expect(pendingStatusAt(state, "2023-03")).toBe("overdue");
    const inForce = dueInForce(state, monthEndInstant("2023-03"));
    expect(localDateOf(inForce!)).toBe("2023-03-10");

    const overdue = listingsOf(state).filter((listing) => listing.kind === "overdue");
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ month: "2023-03", dueOn: "2023-03-10" });
  });
});
