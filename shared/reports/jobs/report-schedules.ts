/**
 * THE schedule of the report builds (docs/api.md#schedule), as data: the CDK app turns each definition into
 * an EventBridge Scheduler schedule (`aws` expression, `timezone`, `schedulerInput`), the local
 * stack into a croner job (`croner` pattern, same `timezone`). Both expressions are derived from the
 * same fields, so they cannot drift apart; nothing else in the code base spells a cron expression.
 *
 * - `closed-year`: 15 December at 01:00 Asia/Ho_Chi_Minh, the year that closed at midnight
 *   (reporting year Y ends on 14/12/Y), for every commune with data, then the province roll-ups;
 * - `year-to-date`: every night at 02:00 Asia/Ho_Chi_Minh, the running year as of that day.
 */
import { type LocalDate, localDateOf, type PeriodSpec, reportingMonthOf } from "../../domain/calendar";

export const REPORT_TIMEZONE = "Asia/Ho_Chi_Minh";

export type ReportScheduleId = "closed-year" | "year-to-date";

/** The time of day and the calendar of a schedule; `"*"` means every. */
export interface CronFields {
  minute: number;
  hour: number;
  dayOfMonth: number | "*";
  month: number | "*";
}

export interface ReportSchedule {
  readonly id: ReportScheduleId;
  readonly description: string;
  readonly fields: Readonly<CronFields>;
  /** croner (5-field Unix cron): `minute hour day-of-month month day-of-week`. */
  readonly croner: string;
  /** EventBridge Scheduler: `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly aws: string;
  readonly timezone: typeof REPORT_TIMEZONE;
}

export function cronerPattern(f: CronFields): string {
  return `${f.minute} ${f.hour} ${f.dayOfMonth} ${f.month} *`;
}

/** AWS wants `?` in one of day-of-month and day-of-week. */
export function awsCronExpression(f: CronFields): string {
  return `cron(${f.minute} ${f.hour} ${f.dayOfMonth} ${f.month} ? *)`;
}

function defineSchedule(id: ReportScheduleId, description: string, fields: CronFields): ReportSchedule {
  return Object.freeze({
    id,
    description,
    fields: Object.freeze({ ...fields }),
    croner: cronerPattern(fields),
    aws: awsCronExpression(fields),
    timezone: REPORT_TIMEZONE,
  });
}

export const CLOSED_YEAR_SCHEDULE = defineSchedule(
  "closed-year",
  "Every commune's report for the reporting year that closed at midnight (15 December, 01:00 local time)",
  { minute: 0, hour: 1, dayOfMonth: 15, month: 12 },
);

export const YEAR_TO_DATE_SCHEDULE = defineSchedule(
  "year-to-date",
  "Every commune's year-to-date report of the running reporting year (every night, 02:00 local time)",
  { minute: 0, hour: 2, dayOfMonth: "*", month: "*" },
);

export const REPORT_SCHEDULES: readonly ReportSchedule[] = Object.freeze([
  CLOSED_YEAR_SCHEDULE,
  YEAR_TO_DATE_SCHEDULE,
]);

export function scheduleById(id: string): ReportSchedule | undefined {
  return REPORT_SCHEDULES.find((schedule) => schedule.id === id);
}

/** What one firing of a schedule builds. */
export interface ScheduledRun {
  schedule: ReportScheduleId;
  period: PeriodSpec;
  /** The cut-off day (the firing's local date); ignored by the build once the period has ended. */
  asOf: LocalDate;
  /** An id for logs and job messages: `{schedule}@{firing instant}`. */
  runId: string;
}

/** The reporting year an instant falls in (the year of its reporting month). */
export function reportingYearOf(instant: Date): number {
  return Number(reportingMonthOf(instant.getTime()).slice(0, 4));
}

/**
 * The run of a schedule that fires at `firedAt`: on 15 December 2023 at 01:00 the closed year is
 * 2023 (it ended on 14/12/2023 at midnight, and 15/12/2023 already belongs to year 2024); every
 * night, the running reporting year as of that day.
 */
export function plannedRun(id: ReportScheduleId, firedAt: Date): ScheduledRun {
  const running = reportingYearOf(firedAt);
  const year = id === "closed-year" ? running - 1 : running;
  return {
    schedule: id,
    period: { kind: "year", year },
    asOf: localDateOf(firedAt.getTime()),
    runId: `${id}@${firedAt.toISOString()}`,
  };
}

/** The input EventBridge Scheduler sends the dispatcher: the schedule and its scheduled time. */
export function schedulerInput(schedule: ReportSchedule): string {
  return JSON.stringify({ schedule: schedule.id, scheduledTime: "<aws.scheduler.scheduled-time>" });
}

/** Everything the CDK app needs for one `AWS::Scheduler::Schedule` (besides its target's ARNs). */
export function eventBridgeSchedule(schedule: ReportSchedule) {
  return {
    name: `reports-${schedule.id}`,
    description: schedule.description,
    scheduleExpression: schedule.aws,
    scheduleExpressionTimezone: schedule.timezone,
    flexibleTimeWindow: { mode: "OFF" as const },
    input: schedulerInput(schedule),
  };
}
