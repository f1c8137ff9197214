import * as z from "zod";
import { MAX_EVENTS_PER_REQUEST } from "./intake-limits";
import { communeCodeSchema } from "./unit-codes";

/**
 * Event schemas of the intake (docs/api.md#body-and-events), one zod schema per type. They are the single source of the
 * intake's validation and of the OpenAPI document.
 */

/** Bounds that keep every timestamp inside the calendar arithmetic (and the canonical sort key). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

export const timestampSchema = z.iso
  .datetime({ offset: true })
  .refine(
    (value) => {
      const ms = Date.parse(value);
      return ms >= EARLIEST && ms < LATEST;
    },
    { message: "timestamp must lie between 2000 and 2100" },
  )
  .meta({
    description: "RFC 3339 timestamp with an offset (`Z` or `+07:00`)",
    example: "2023-03-02T08:15:00+07:00",
  });

export const eventIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "1–128 characters of [A-Za-z0-9._:-]")
  .meta({ description: "Unique per source", example: "evt-000123" });

export { communeCodeSchema };

const code = z.string().min(1).max(64);
const text = z.string().min(1).max(512);

export const channelSchema = z.enum(["online", "direct", "postal"]);
export const digitizationSchema = z.enum(["none", "partial", "full"]);
export const interlinkSchema = z.strictObject({
  scope: z.enum(["same-level", "cross-level"]),
  bundle: z.string().min(1).max(128).optional(),
});

const dossierDetails = {
  communeCode: communeCodeSchema,
  fieldCode: code,
  fieldName: text.optional(),
  procedureCode: code,
  procedureName: text.optional(),
  channel: channelSchema,
  dueAt: timestampSchema.nullable(),
  digitization: digitizationSchema.optional(),
  interlink: interlinkSchema.optional(),
  electronicCertification: z.boolean().optional(),
  feeRequired: z.boolean().optional(),
};

const common = {
  id: eventIdSchema,
  occurredAt: timestampSchema,
};
const dossierCommon = { ...common, dossierCode: code };
const feedbackCommon = { ...common, feedbackCode: code };

const dossierEvent = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...dossierCommon, ...shape });
const feedbackEvent = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...feedbackCommon, ...shape });

/** Listed in the contract's order; the tie-break ranks of the canonical sort are EVENT_TYPE_RANK. */
export const eventSchemas = [
  dossierEvent("dossier.received", dossierDetails),
  dossierEvent("dossier.updated", z.object(dossierDetails).partial().shape),
  dossierEvent("dossier.supplement_requested", { dueAt: timestampSchema.nullable().optional() }),
  dossierEvent("dossier.supplement_received", { dueAt: timestampSchema.nullable().optional() }),
  dossierEvent("dossier.paused", { reason: z.string().min(1).max(128).optional() }),
  dossierEvent("dossier.resumed", { dueAt: timestampSchema.nullable().optional() }),
  dossierEvent("dossier.deadline_extended", { dueAt: timestampSchema, apology: z.boolean().optional() }),
  dossierEvent("dossier.resolved", { resultDigitized: z.boolean().optional() }),
  dossierEvent("dossier.returned", { returnChannel: channelSchema }),
  dossierEvent("dossier.withdrawn", {}),
  dossierEvent("dossier.rejected", {}),
  dossierEvent("dossier.payment", { paidOnline: z.boolean(), amount: z.number().int().min(0).optional() }),
  dossierEvent("dossier.rated", { rating: z.enum(["very-satisfied", "satisfied", "unsatisfied"]) }),
  feedbackEvent("feedback.received", {
    communeCode: communeCodeSchema,
    fieldCode: code,
    kind: z.enum(["regulation", "behavior"]),
  }),
  feedbackEvent("feedback.resolved", { published: z.boolean().optional() }),
] as const;

export const eventSchema = z.discriminatedUnion("type", eventSchemas).meta({ id: "Event" });

export type Event = z.infer<typeof eventSchema>;
export type EventType = Event["type"];
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;
export type DossierDetails = Omit<EventOf<"dossier.received">, "type" | "id" | "occurredAt" | "dossierCode">;

export const EVENT_TYPES: readonly EventType[] = eventSchemas.map((schema) => schema.shape.type.value);

/**
 * Each type's rank in the canonical order (docs/api.md#body-and-events: ties of an instant broken by type order).
 * Ranks are stored inside every dossier head's `last` key, so they are fixed per type, never
 * derived from a list's position: a new type takes a new number and no existing rank ever changes.
 */
export const EVENT_TYPE_RANK: Readonly<Record<EventType, number>> = {
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
};

export { MAX_BODY_BYTES, MAX_EVENTS_PER_DOSSIER, MAX_EVENTS_PER_REQUEST } from "./intake-limits";

/** The request body of the intake (docs/api.md#body-and-events), checked before any event is looked at. */
export const batchEnvelopeSchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** The events of one dossier (or one feedback) form one subject: the unit of folding and locking. */
export type SubjectKind = "dossier" | "feedback";
export interface SubjectRef {
  kind: SubjectKind;
  code: string;
}
export function subjectOf(event: Event): SubjectRef {
  return "dossierCode" in event
    ? { kind: "dossier", code: event.dossierCode }
    : { kind: "feedback", code: event.feedbackCode };
}

/** Events that name a commune, and must therefore be checked against the registry and the source's scope. */
export function communeOf(event: Event): string | undefined {
  return "communeCode" in event ? event.communeCode : undefined;
}

/**
 * The canonical order (docs/architecture.md#exactly-once-aggregates): occurredAt (as an instant), then type order, then id.
 * Encoded as a string so that it sorts lexicographically and can be stored on the dossier head.
 */
export function canonicalKey(event: Pick<Event, "occurredAt" | "type" | "id">): string {
  const instant = Date.parse(event.occurredAt);
  const rank = EVENT_TYPE_RANK[event.type];
  return `${String(instant).padStart(15, "0")}|${String(rank).padStart(2, "0")}|${event.id}`;
}

export function sortCanonically<E extends Event>(events: readonly E[]): E[] {
  return events
    .map((event) => ({ event, key: canonicalKey(event) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ event }) => event);
}
