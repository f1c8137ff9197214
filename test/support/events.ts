import type { Event, EventOf, EventType } from "../../shared/domain/events";

/** Builders for valid events, so that tests state only what matters to them. */
let sequence = 0;
const nextId = () => `evt-${++sequence}`;

type Extra<T extends EventType> = Omit<EventOf<T>, "type" | "id" | "occurredAt" | "dossierCode">;

export function dossierEvent<T extends Exclude<EventType, `feedback.${string}`>>(
  type: T,
  occurredAt: string,
  extra: Partial<Extra<T>> = {},
  dossierCode = "D1",
): EventOf<T> {
  return { type, id: nextId(), occurredAt, dossierCode, ...extra } as EventOf<T>;
}

export function received(
  occurredAt: string,
  extra: Partial<Extra<"dossier.received">> = {},
  dossierCode = "D1",
) {
  return dossierEvent(
    "dossier.received",
    occurredAt,
    {
      communeCode: "10621",
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      procedureCode: "1.001193",
      channel: "online",
      dueAt: null,
      ...extra,
    },
    dossierCode,
  );
}

export function feedbackEvent<T extends `feedback.${string}` & EventType>(
  type: T,
  occurredAt: string,
  extra: Partial<Omit<EventOf<T>, "type" | "id" | "occurredAt" | "feedbackCode">> = {},
  feedbackCode = "F1",
): Event {
  return { type, id: nextId(), occurredAt, feedbackCode, ...extra } as Event;
}
