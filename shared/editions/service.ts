/**
 * The edition use cases (docs/editions.md): create a draft (carried over), read it, save revisions
 * with optimistic concurrency, list revisions, start a correction. Issue and preview are in
 * issue.ts, the province's panel in province.ts. The routes (functions/editions) and the demo
 * (scripts/demo.ts) both call these, after checking who may (the handler) or acting as a demo person.
 */

import { ContractError } from "../api/http";
import type { PeriodSpec } from "../domain/calendar";
import type { AuditAction, AuditRecord } from "../people/audit-record";
import { previousPeriodOf, registryDateOf } from "../reports/build-model";
import type { AggregateSource } from "../reports/ports";
import { resolveRequest } from "../reports/service";
import { communesOfProvince, findCommune, findProvince } from "../units/registry";
import {
  carriedContent,
  contentProblem,
  contentSections,
  type EditionContent,
  type EditionNumbers,
  type EditionPut,
  type EditionRecord,
  type EditionRevision,
  emptyContent,
  mergeContent,
  periodKey,
  sumNumbers,
} from "./edition";
import type { EditionFileStore, EditionStore, WriteOutcome } from "./ports";

export interface EditionDeps {
  editions: EditionStore;
  files: EditionFileStore;
  aggregates: AggregateSource;
  now?: () => Date;
  /** Communes read at once for a province's figures. Default 16. */
  readConcurrency?: number;
  /** Seconds the presigned URLs of files, previews and bundles stay valid. Default 900. */
  linkSeconds?: number;
}

/** Who writes, as the audit record keeps it, and the request that wrote. */
export interface WriteContext {
  actor: { issuer: string; subject: string; name: string };
  requestId: string;
}

/** The unit of an edition, as the registry names it for the period. */
export type EditionUnit =
  | { kind: "commune"; code: string; name: string; provinceCode: string }
  | { kind: "province"; code: string; name: string; provinceCode: string };

export interface EditionTarget {
  unit: EditionUnit;
  period: PeriodSpec;
}

/** The unit of a code (5 digits a commune, 2 a province) for the period; undefined when unknown. */
export function editionTarget(code: string, period: PeriodSpec, now: Date): EditionTarget | undefined {
  const resolved = resolveRequest({ period }, now);
  const onDate = registryDateOf(resolved);
  if (code.length === 2) {
    const province = findProvince(code, onDate);
    return province && { unit: { kind: "province", code, name: province.name, provinceCode: code }, period };
  }
  const commune = findCommune(code, onDate) ?? findCommune(code, resolved.period.from);
  return (
    commune && {
      unit: { kind: "commune", code, name: commune.name, provinceCode: commune.provinceCode },
      period,
    }
  );
}

export const refuse = {
  notFound: (target: EditionTarget) =>
    new ContractError(
      404,
      "edition_not_found",
      `no edition of ${target.unit.code} for ${periodKey(target.period)}: create one with POST`,
    ),
  conflict: (current: unknown) =>
    new ContractError(
      412,
      "edition_conflict",
      "the edition changed since that revision: merge with `current` and send its revision in If-Match",
      { current },
    ),
  issued: () =>
    new ContractError(409, "edition_issued", "the edition is issued: start a correction to change it"),
};

const nowOf = (deps: Pick<EditionDeps, "now">) => deps.now?.() ?? new Date();

function auditOf(context: WriteContext, action: AuditAction, record: EditionRecord, at: string): AuditRecord {
  return {
    by: context.actor,
    action,
    target: `${record.unit}/${periodKey(record.period)}#${record.edition}`,
    unit: record.unit,
    period: periodKey(record.period),
    at,
    requestId: context.requestId,
  };
}

function revisionOf(record: EditionRecord, sections: string[]): EditionRevision {
  const { texts, numbers, document } = record;
  return {
    revision: record.revision,
    savedAt: record.savedAt,
    savedBy: record.savedBy,
    sections,
    texts,
    numbers,
    document,
  };
}

/** The last issued edition of a unit and period: the current one, or the one a draft correction corrects. */
export async function lastIssued(
  editions: EditionStore,
  unit: string,
  period: PeriodSpec,
): Promise<EditionRecord | undefined> {
  const current = await editions.current(unit, period);
  if (!current) return undefined;
  if (current.status === "issued") return current;
  return current.corrects !== undefined ? editions.edition(unit, period, current.corrects) : undefined;
}

/** What the province's communes issued for the period: their numbers summed, with `n of N`. */
export async function communeNumbers(
  deps: Pick<EditionDeps, "editions" | "now">,
  provinceCode: string,
  period: PeriodSpec,
): Promise<{ issued: number; total: number; numbers: EditionNumbers }> {
  const communes = communesOfProvince(provinceCode, registryDateOf(resolveRequest({ period }, nowOf(deps))));
  const current = await deps.editions.currentOf(
    communes.map((c) => c.code),
    period,
  );
  const issued: EditionNumbers[] = [];
  for (const commune of communes) {
    const record = current.get(commune.code);
    if (record?.status === "issued") issued.push(record.numbers);
    else if (record?.corrects !== undefined) {
      const earlier = await deps.editions.edition(commune.code, period, record.corrects);
      if (earlier) issued.push(earlier.numbers);
    }
  }
  return { issued: issued.length, total: communes.length, numbers: sumNumbers(issued) };
}

/** `POST /v1/editions/{unit}/{year}`: a new draft, carried over from the previous period's issued edition. */
export async function createEdition(
  deps: EditionDeps,
  target: EditionTarget,
  context: WriteContext,
): Promise<EditionRecord> {
  const unit = target.unit.code;
  if (await deps.editions.current(unit, target.period)) {
    throw new ContractError(
      409,
      "edition_exists",
      `${unit} already has an edition for ${periodKey(target.period)}`,
    );
  }
  const previousPeriod = previousPeriodOf(target.period);
  const previous = await lastIssued(deps.editions, unit, previousPeriod);
  let content: EditionContent = previous ? carriedContent(previous) : emptyContent();
  if (target.unit.kind === "province") {
    const sums = await communeNumbers(deps, unit, target.period);
    if (sums.issued > 0) content = { ...content, numbers: sums.numbers };
  }
  const at = nowOf(deps).toISOString();
  const record: EditionRecord = {
    unit,
    period: target.period,
    edition: 1,
    status: "draft",
    revision: 1,
    savedAt: at,
    savedBy: { name: context.actor.name },
    ...(previous ? { carriedFrom: { year: previousPeriod.year, edition: previous.edition } } : {}),
    ...content,
  };
  const outcome = await deps.editions.create(
    record,
    revisionOf(record, contentSections(content)),
    auditOf(context, "edition.create", record, at),
  );
  if (!outcome.ok) {
    throw new ContractError(
      409,
      "edition_exists",
      `${unit} already has an edition for ${periodKey(target.period)}`,
    );
  }
  return outcome.record;
}

/** The current edition, or a given edition number. */
export async function readEdition(
  deps: Pick<EditionDeps, "editions">,
  target: EditionTarget,
  edition?: number,
): Promise<EditionRecord> {
  const record =
    edition === undefined
      ? await deps.editions.current(target.unit.code, target.period)
      : await deps.editions.edition(target.unit.code, target.period, edition);
  if (!record) throw refuse.notFound(target);
  return record;
}

/**
 * `PUT`: the draft merged with `put` as a new revision, only when `expected` is still its revision.
 * A PUT that changes nothing writes nothing and answers the edition as it is.
 */
export async function saveEdition(
  deps: EditionDeps,
  target: EditionTarget,
  put: EditionPut,
  expected: number,
  context: WriteContext,
): Promise<EditionRecord> {
  const current = await readEdition(deps, target);
  if (current.status !== "draft") throw refuse.issued();
  if (current.revision !== expected) throw refuse.conflict(current);
  const { content, sections } = mergeContent(current, put);
  checkContent(content, target.period.year);
  if (sections.length === 0) return current;
  const at = nowOf(deps).toISOString();
  const record: EditionRecord = {
    ...current,
    ...content,
    revision: expected + 1,
    savedAt: at,
    savedBy: { name: context.actor.name },
  };
  return settled(
    await deps.editions.save(
      record,
      expected,
      revisionOf(record, sections),
      auditOf(context, "edition.save", record, at),
    ),
  );
}

/** The answer to a refused conditional write, or the record written. */
export function settled(outcome: WriteOutcome): EditionRecord {
  if (outcome.ok) return outcome.record;
  if (outcome.reason === "conflict") throw refuse.conflict(outcome.current);
  if (outcome.reason === "issued") throw refuse.issued();
  throw new ContractError(404, "edition_not_found", "the edition no longer exists");
}

export function checkContent(content: EditionContent, year: number): void {
  const problem = contentProblem(content, year);
  if (problem?.kind === "too_large") {
    throw new ContractError(
      413,
      "edition_too_large",
      `the edition would be ${problem.bytes} bytes, over 200 KB`,
    );
  }
  if (problem?.kind === "date_outside") {
    throw new ContractError(
      400,
      "invalid_body",
      `document.date ${problem.date} is outside ${problem.years[0]} and ${problem.years[1]}`,
      { path: "document.date" },
    );
  }
}

/** `GET …/revisions`: every revision of the current edition (or of `edition`), without content. */
export async function listRevisions(
  deps: Pick<EditionDeps, "editions">,
  target: EditionTarget,
  edition?: number,
) {
  const record = await readEdition(deps, target, edition);
  const revisions = await deps.editions.revisions(target.unit.code, target.period, record.edition);
  return {
    edition: record.edition,
    revisions: revisions.map(({ revision, savedAt, savedBy, sections }) => ({
      revision,
      savedAt,
      savedBy,
      sections,
    })),
  };
}

/** `GET …/revisions/{n}`: one revision of the current edition (or of `edition`), whole. */
export async function readRevision(
  deps: Pick<EditionDeps, "editions">,
  target: EditionTarget,
  revision: number,
  edition?: number,
): Promise<EditionRevision> {
  const record = await readEdition(deps, target, edition);
  const found = await deps.editions.revision(target.unit.code, target.period, record.edition, revision);
  if (!found) {
    throw new ContractError(
      404,
      "edition_not_found",
      `edition ${record.edition} has no revision ${revision}`,
    );
  }
  return found;
}

/** `POST …/correction`: a new draft (edition + 1) from the issued edition, which stays readable. */
export async function correctEdition(
  deps: EditionDeps,
  target: EditionTarget,
  context: WriteContext,
): Promise<EditionRecord> {
  const current = await readEdition(deps, target);
  if (current.status === "draft" && current.corrects !== undefined) {
    throw new ContractError(
      409,
      "edition_exists",
      "a correction was started already: read the current edition",
    );
  }
  if (current.status !== "issued") {
    throw new ContractError(
      409,
      "edition_not_issued",
      "only an issued edition can be corrected; this one is a draft",
    );
  }
  const at = nowOf(deps).toISOString();
  const { texts, numbers, document } = current;
  const record: EditionRecord = {
    unit: current.unit,
    period: current.period,
    edition: current.edition + 1,
    status: "draft",
    // Revisions keep counting, so an ETag never names two states of the unit's period.
    revision: current.revision + 1,
    savedAt: at,
    savedBy: { name: context.actor.name },
    corrects: current.edition,
    texts,
    numbers,
    document,
  };
  const outcome = await deps.editions.create(
    record,
    revisionOf(record, contentSections(record)),
    auditOf(context, "edition.correct", record, at),
  );
  if (!outcome.ok) {
    throw new ContractError(
      409,
      "edition_exists",
      "a correction was started already: read the current edition",
    );
  }
  return outcome.record;
}

export { auditOf, nowOf, revisionOf };
