import type { PeriodSpec } from "../../domain/calendar";
import { publishCommuneReport, publishProvinceReport } from "../publish";
import type { ReportDeps } from "../service";
import type { ReportJob } from "./report-jobs";

/** A province roll-up whose communes are not all rebuilt yet: retried later. */
export class RollUpNotReadyError extends Error {
  override name = "RollUpNotReadyError";
}

export interface JobContext {
  /**
   * Through a queue, a roll-up can start before its communes are done: with `waitForCommunes`, a
   * roll-up whose communes are not all rebuilt since `dispatchedAt` throws `RollUpNotReadyError`
   * (the message comes back later), unless `attempt` ≥ `maxWaits`: then it is built anyway (a roll-up
   * reads aggregates, never commune reports, so it is right either way, only later than its communes).
   */
  waitForCommunes?: boolean;
  attempt?: number;
  maxWaits?: number;
  log?: (message: string, details: Record<string, unknown>) => void;
}

/** The job function of the workers, in AWS and in the local stack alike. */
export async function runReportJob(
  deps: ReportDeps,
  job: ReportJob,
  context: JobContext = {},
): Promise<void> {
  const request = { period: job.period as PeriodSpec, ...(job.asOf ? { asOf: job.asOf } : {}) };
  if (job.type === "commune") {
    await publishCommuneReport(deps, job.communeCode, request);
    return;
  }
  if (context.waitForCommunes) {
    const built = await deps.store.builtCommunes(job.provinceCode, job.period);
    const since = Date.parse(job.dispatchedAt);
    const missing = job.communes.filter((code) => (built.get(code)?.getTime() ?? 0) < since);
    if (missing.length > 0) {
      if ((context.attempt ?? 1) < (context.maxWaits ?? 10)) {
        throw new RollUpNotReadyError(
          `province ${job.provinceCode}: ${missing.length} of ${job.communes.length} commune reports not rebuilt yet`,
        );
      }
      context.log?.("building the roll-up without waiting any longer", {
        provinceCode: job.provinceCode,
        missing,
      });
    }
  }
  await publishProvinceReport(deps, job.provinceCode, request);
}
