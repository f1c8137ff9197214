import { Cron } from "croner";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalReportScheduler, startLocalReportScheduler } from "../../local/report-scheduler";
import {
  awsCronExpression,
  CLOSED_YEAR_SCHEDULE,
  cronerPattern,
  eventBridgeSchedule,
  plannedRun,
  REPORT_SCHEDULES,
  scheduleById,
  YEAR_TO_DATE_SCHEDULE,
} from "../../shared/reports/jobs/report-schedules";

describe("the report schedule definitions", () => {
  it("build the closed year on 15 December at 01:00 and the year to date every night at 02:00, Vietnam time", () => {
    expect(CLOSED_YEAR_SCHEDULE).toMatchObject({
      croner: "0 1 15 12 *",
      aws: "cron(0 1 15 12 ? *)",
      timezone: "Asia/Ho_Chi_Minh",
    });
    expect(YEAR_TO_DATE_SCHEDULE).toMatchObject({
      croner: "0 2 * * *",
      aws: "cron(0 2 * * ? *)",
      timezone: "Asia/Ho_Chi_Minh",
    });
  });

  it("derive the croner and the EventBridge expressions from the same fields", () => {
    for (const schedule of REPORT_SCHEDULES) {
      expect(schedule.croner).toBe(cronerPattern(schedule.fields));
      expect(schedule.aws).toBe(awsCronExpression(schedule.fields));
      expect(Object.isFrozen(schedule)).toBe(true);
    }
  });

  it("fire, read by croner in Asia/Ho_Chi_Minh, at the instants the contract names", () => {
    const closed = new Cron(CLOSED_YEAR_SCHEDULE.croner, {
      timezone: CLOSED_YEAR_SCHEDULE.timezone,
      paused: true,
    });
    expect(closed.nextRun(new Date("2023-06-01T00:00:00Z"))?.toISOString()).toBe("2023-12-14T18:00:00.000Z");
    const nightly = new Cron(YEAR_TO_DATE_SCHEDULE.croner, {
      timezone: YEAR_TO_DATE_SCHEDULE.timezone,
      paused: true,
    });
    expect(nightly.nextRuns(2, new Date("2023-06-01T00:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2023-06-01T19:00:00.000Z",
      "2023-06-02T19:00:00.000Z",
    ]);
    closed.stop();
    nightly.stop();
  });

  it("give EventBridge Scheduler its expression, timezone and the input the dispatcher reads", () => {
    const props = eventBridgeSchedule(CLOSED_YEAR_SCHEDULE);
    expect(props).toMatchObject({
      scheduleExpression: "cron(0 1 15 12 ? *)",
      scheduleExpressionTimezone: "Asia/Ho_Chi_Minh",
      flexibleTimeWindow: { mode: "OFF" },
    });
    expect(JSON.parse(props.input)).toEqual({
      schedule: "closed-year",
      scheduledTime: "<aws.scheduler.scheduled-time>",
    });
    expect(scheduleById("closed-year")).toBe(CLOSED_YEAR_SCHEDULE);
  });
});

describe("a firing's run", () => {
  it("builds, on 15 December 2023 at 01:00, the year 2023 that closed at midnight", () => {
    const run = plannedRun("closed-year", new Date("2023-12-15T01:00:00+07:00"));
    expect(run.period).toEqual({ kind: "year", year: 2023 });
    expect(run.asOf).toBe("2023-12-15");
  });

  it("builds every night the running year as of that day, which from 15 December is the next one", () => {
    expect(plannedRun("year-to-date", new Date("2023-12-14T02:00:00+07:00"))).toMatchObject({
      period: { kind: "year", year: 2023 },
      asOf: "2023-12-14",
    });
    expect(plannedRun("year-to-date", new Date("2023-12-15T02:00:00+07:00"))).toMatchObject({
      period: { kind: "year", year: 2024 },
      asOf: "2023-12-15",
    });
  });
});

describe("the local scheduler", () => {
  let scheduler: LocalReportScheduler | undefined;
  afterEach(() => scheduler?.stop());

  it("runs a croner job for each definition, made from the very objects the infrastructure deploys", () => {
    scheduler = startLocalReportScheduler({ tableName: "unused", bucketName: "unused", paused: true });
    expect(scheduler.jobs.map((job) => job.schedule)).toEqual([...REPORT_SCHEDULES]);
    scheduler.jobs.forEach((job, i) => {
      expect(job.schedule).toBe(REPORT_SCHEDULES[i]);
      expect(job.cron.getPattern()).toBe(REPORT_SCHEDULES[i]!.croner);
      expect(job.cron.options.timezone).toBe("Asia/Ho_Chi_Minh");
    });
  });
});
