/**
 * Scheduled report builds at country scale (≈3,321 communes): one Lambda cannot build them all in
 * 15 minutes, so the dispatcher plans one job per commune with data, then one roll-up job per
 * province, and hands them to workers: through SQS in AWS (functions/reports/dispatcher.ts and
 * worker.ts), in-process with bounded concurrency in the local stack (local/report-runner.ts).
 * The job function is the same in both: `runReportJob`.
 *
 * Which communes have data: the registry lists every commune of the period (the universe is known
 * and small) and one `Query … Limit 1` per commune tells whether it has any aggregate up to the
 * period's last month, so no table scan and no write on the intake's hot path. For 3,321 communes
 * that is 3,321 reads of one item (≈1,700 read request units with eventually consistent reads, a few
 * seconds at 32 at once): negligible next to building the reports.
 */
import { z } from "zod";
import type { PeriodSpec } from "../../domain/calendar";
import { communeCodeSchema, provinceCodeSchema } from "../../domain/unit-codes";
import { mapLimited } from "../../map-limited";
import { communesOfProvince, listProvinces } from "../../units/registry";
import { registryDateOf, resolvePeriod } from "../build-model";
import type { AggregateSource } from "../ports";
import { localDateSchema, periodSpecSchema } from "../request";
import { communeScope, publishCommuneReport, publishProvinceReport, type ReportDeps } from "../service";
import type { ScheduledRun } from "./report-schedules";

export const communeJobSchema = z.strictObject({
  type: z.literal("commune"),
  communeCode: communeCodeSchema,
  period: periodSpecSchema,
  asOf: localDateSchema.optional(),
  runId: z.string().max(200),
});

export const provinceJobSchema = z.strictObject({
  type: z.literal("province"),
  provinceCode: provinceCodeSchema,
  period: periodSpecSchema,
  asOf: localDateSchema.optional(),
  runId: z.string().max(200),
  /** When the commune jobs were sent: a commune report built since then is fresh. */
  dispatchedAt: z.iso.datetime(),
  /** The communes of the run in this province (the roll-up waits for their reports). */
  communes: z.array(communeCodeSchema),
});

export const reportJobSchema = z.discriminatedUnion("type", [communeJobSchema, provinceJobSchema]);
export type CommuneJob = z.infer<typeof communeJobSchema>;
export type ProvinceJob = z.infer<typeof provinceJobSchema>;
export type ReportJob = z.infer<typeof reportJobSchema>;

export interface DispatchPlan {
  run: ScheduledRun;
  /** Communes the registry lists for the period (each probed once). */
  probed: number;
  communeJobs: CommuneJob[];
  provinceJobs: ProvinceJob[];
}

export interface PlanDeps {
  aggregates: Pick<AggregateSource, "hasData">;
  /** Probes at once. Default 32. */
  probeConcurrency?: number;
  /** Restrict to these provinces (tests, manual runs). */
  provinces?: string[];
}

/** One job per commune with data, one roll-up per province with such a commune. */
export async function planDispatch(
  deps: PlanDeps,
  run: ScheduledRun,
  dispatchedAt: Date,
): Promise<DispatchPlan> {
  const resolved = resolvePeriod({ period: run.period, asOf: run.asOf });
  const onDate = registryDateOf(resolved);
  const provinces = listProvinces(onDate)
    .map((province) => province.code)
    .filter((code) => deps.provinces === undefined || deps.provinces.includes(code));
  const communes = provinces.flatMap((provinceCode) =>
    communesOfProvince(provinceCode, onDate).map((commune) => ({ provinceCode, communeCode: commune.code })),
  );
  // A commune made by the 2025 reorganization has data when any code it sums has (its predecessors').
  const withData = await mapLimited(communes, deps.probeConcurrency ?? 32, async (commune) => {
    for (const code of communeScope(commune.communeCode, resolved)?.codes ?? [commune.communeCode]) {
      if (await deps.aggregates.hasData(code, resolved.window.lastMonth)) return true;
    }
    return false;
  });
  const byProvince = new Map<string, string[]>();
  communes.forEach((commune, i) => {
    if (!withData[i]) return;
    const list = byProvince.get(commune.provinceCode) ?? [];
    list.push(commune.communeCode);
    byProvince.set(commune.provinceCode, list);
  });
  const common = { period: run.period, asOf: run.asOf, runId: run.runId };
  return {
    run,
    probed: communes.length,
    communeJobs: [...byProvince.values()]
      .flat()
      .map((communeCode) => ({ type: "commune", communeCode, ...common })),
    provinceJobs: [...byProvince].map(([provinceCode, list]) => ({
      type: "province",
      provinceCode,
      ...common,
      dispatchedAt: dispatchedAt.toISOString(),
      communes: list,
    })),
  };
}

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

export function describeJob(job: ReportJob): string {
  const unit = job.type === "commune" ? `commune ${job.communeCode}` : `province ${job.provinceCode}`;
  return `${unit} ${job.period.kind} ${job.period.year}${job.asOf ? ` as of ${job.asOf}` : ""}`;
}
