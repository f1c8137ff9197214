import { describe, expect, it } from "vitest";
import { ReportIdentityError } from "../../shared/reports/build-model";
import { CONSISTENT_READ_ATTEMPTS, readConsistently } from "../../shared/reports/service";

describe("readConsistently (a read that saw a commit half-way is read again)", () => {
  it("reads again after a report that breaks an identity, and returns the first whole one", async () => {
    let reads = 0;
    const result = await readConsistently(async () => {
      reads += 1;
      if (reads < 3) throw new ReportIdentityError("xã Quốc Tuấn", ["received ≠ resolved + pending"]);
      return "whole";
    });
    expect(result).toBe("whole");
    expect(reads).toBe(3);
  });

  it("throws the identity error after the last attempt: a real defect is never published", async () => {
    let reads = 0;
    await expect(
      readConsistently(async () => {
        reads += 1;
        throw new ReportIdentityError("xã Quốc Tuấn", ["received ≠ resolved + pending"]);
      }),
    ).rejects.toBeInstanceOf(ReportIdentityError);
    expect(reads).toBe(CONSISTENT_READ_ATTEMPTS);
  });

  it("does not read again after any other error", async () => {
    let reads = 0;
    await expect(
      readConsistently(async () => {
        reads += 1;
        throw new Error("the database is unreachable");
      }),
    ).rejects.toThrow("unreachable");
    expect(reads).toBe(1);
  });
});
