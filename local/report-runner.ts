/**
 * The local stack's runner of a dispatch plan: the report jobs run in this process, a few at a time,
 * instead of going through SQS to the worker Lambda (functions/reports/worker.ts). The job function
 * is the workers' own (`runReportJob`, shared/reports/jobs/run-report-job.ts).
 */
import { mapLimited } from "../shared/map-limited";
import { type DispatchPlan, describeJob, type ReportJob } from "../shared/reports/jobs/report-jobs";

export interface JobFailure {
  job: ReportJob;
  error: string;
}

export interface RunSummary {
  runId: string;
  probed: number;
  communes: { planned: number; built: number; failed: number };
  provinces: { planned: number; built: number; failed: number };
  failures: JobFailure[];
  durationMs: number;
}

export interface InProcessOptions {
  concurrency?: number;
  log?: (message: string, details: Record<string, unknown>) => void;
  /** Log progress every this many communes. Default 100. */
  progressEvery?: number;
}

/**
 * Runs a plan in this process (the local stack): at most `concurrency` jobs at once; a province's
 * roll-up as soon as all its communes are done (built or failed), in the slot of its last commune.
 * A failing job is logged and counted and never stops the others.
 */
export async function runInProcess(
  plan: DispatchPlan,
  run: (job: ReportJob) => Promise<void>,
  options: InProcessOptions = {},
): Promise<RunSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const every = options.progressEvery ?? 100;
  const summary: RunSummary = {
    runId: plan.run.runId,
    probed: plan.probed,
    communes: { planned: plan.communeJobs.length, built: 0, failed: 0 },
    provinces: { planned: plan.provinceJobs.length, built: 0, failed: 0 },
    failures: [],
    durationMs: 0,
  };
  const remaining = new Map(plan.provinceJobs.map((job) => [job.provinceCode, new Set(job.communes)]));
  const provinceOf = new Map(plan.provinceJobs.flatMap((job) => job.communes.map((code) => [code, job])));

  const attempt = async (job: ReportJob) => {
    const counter = job.type === "commune" ? summary.communes : summary.provinces;
    try {
      await run(job);
      counter.built += 1;
    } catch (error) {
      counter.failed += 1;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      summary.failures.push({ job, error: message });
      log("report job failed", { job: describeJob(job), error: message });
    }
    if (job.type === "commune") {
      const done = summary.communes.built + summary.communes.failed;
      if (done % every === 0 || done === summary.communes.planned) {
        log("report run progress", {
          runId: summary.runId,
          done,
          of: summary.communes.planned,
          failed: summary.communes.failed,
        });
      }
      const province = provinceOf.get(job.communeCode);
      const left = province && remaining.get(province.provinceCode);
      if (province && left) {
        left.delete(job.communeCode);
        // The last commune of a province hands its slot to the roll-up.
        if (left.size === 0) await attempt(province);
      }
    }
  };

  // Provinces whose list is empty (nothing to wait for) can go at once.
  const ready = [...plan.communeJobs, ...plan.provinceJobs.filter((job) => job.communes.length === 0)];
  await mapLimited(ready, Math.max(1, options.concurrency ?? 4), attempt);
  summary.durationMs = Date.now() - started;
  return summary;
}
