import { canonicalJson } from "./canonical-json";
import type { DossierDetails, Event, EventOf } from "./events";

/**
 * A subject's state: the pure fold of its events in canonical order. It is stored on the subject's
 * head item, so an event that sorts after every known one folds from it without re-reading history.
 * Instants are epoch milliseconds; the state is plain JSON.
 */

type Details = Omit<DossierDetails, "dueAt"> & { dueAt: number | null };
type Rating = EventOf<"dossier.rated">["rating"];

export interface DossierState {
  kind: "dossier";
  /** The first `dossier.received`: its instant and its fields as sent. */
  receivedAt?: number;
  base?: Details;
  /** Corrections from `dossier.updated`, merged in canonical order and applied over `base`. */
  patch: Partial<Details>;
  /** Due dates set after reception (supplement, resume, extension), in canonical order. */
  dueChanges: { at: number; dueAt: number | null }[];
  /** Clock stops: paused → resumed, supplement requested → received. `to` null while open. */
  holds: { from: number; to: number | null; kind: "paused" | "supplement" }[];
  resolvedAt?: number;
  resultDigitized: boolean;
  returnedAt?: number;
  returnChannel?: "online" | "direct" | "postal";
  withdrawnAt?: number;
  rejected: boolean;
  paidOnline: boolean;
  rating?: { at: number; value: Rating };
  apology: boolean;
}

export interface FeedbackState {
  kind: "feedback";
  receivedAt?: number;
  communeCode?: string;
  fieldCode?: string;
  feedbackKind?: "regulation" | "behavior";
  resolvedAt?: number;
  published: boolean;
}

export type SubjectState = DossierState | FeedbackState;

export function initialDossierState(): DossierState {
  return {
    kind: "dossier",
    patch: {},
    dueChanges: [],
    holds: [],
    resultDigitized: false,
    rejected: false,
    paidOnline: false,
    apology: false,
  };
}

export function initialFeedbackState(): FeedbackState {
  return { kind: "feedback", published: false };
}

const instantOf = (timestamp: string) => Date.parse(timestamp);
const dueOf = (dueAt: string | null | undefined) => (dueAt == null ? null : instantOf(dueAt));

function withDue<T extends { dueAt?: string | null }>(
  fields: T,
): Omit<T, "dueAt"> & { dueAt?: number | null } {
  const { dueAt, ...rest } = fields;
  return dueAt === undefined ? rest : { ...rest, dueAt: dueOf(dueAt) };
}

/**
 * The correction without the fields that restate the reception's (a DVCQG snapshot restates every
 * field): the details in force are the same, and the head that stores the state stays small.
 */
function compacted(patch: Partial<Details>, base: Details | undefined): Partial<Details> {
  if (base === undefined) return patch;
  const kept = Object.entries(patch).filter(
    ([name, value]) => canonicalJson(value) !== canonicalJson(base[name as keyof Details]),
  );
  return Object.fromEntries(kept) as Partial<Details>;
}

function openHold(state: DossierState, at: number, kind: "paused" | "supplement"): DossierState {
  if (state.holds.some((hold) => hold.kind === kind && hold.to === null)) return state;
  return { ...state, holds: [...state.holds, { from: at, to: null, kind }] };
}

function closeHold(state: DossierState, at: number, kind: "paused" | "supplement"): DossierState {
  return {
    ...state,
    holds: state.holds.map((hold) => (hold.kind === kind && hold.to === null ? { ...hold, to: at } : hold)),
  };
}

function changeDue(state: DossierState, at: number, dueAt: string | null | undefined): DossierState {
  if (dueAt === undefined) return state;
  return { ...state, dueChanges: [...state.dueChanges, { at, dueAt: dueOf(dueAt) }] };
}

/** Applies one dossier event; events must come in canonical order. */
export function evolveDossier(state: DossierState, event: Event): DossierState {
  const at = instantOf(event.occurredAt);
  switch (event.type) {
    case "dossier.received": {
      // A second reception of the same dossier is a repeat by the sender: the first one stands.
      if (state.receivedAt !== undefined) return state;
      const { type: _t, id: _i, occurredAt: _o, dossierCode: _d, ...fields } = event;
      return { ...state, receivedAt: at, base: withDue(fields) as Details };
    }
    case "dossier.updated": {
      const { type: _t, id: _i, occurredAt: _o, dossierCode: _d, ...fields } = event;
      return { ...state, patch: compacted({ ...state.patch, ...withDue(fields) }, state.base) };
    }
    case "dossier.supplement_requested":
      return changeDue(openHold(state, at, "supplement"), at, event.dueAt);
    case "dossier.supplement_received":
      return changeDue(closeHold(state, at, "supplement"), at, event.dueAt);
    case "dossier.paused":
      return openHold(state, at, "paused");
    case "dossier.resumed":
      return changeDue(closeHold(state, at, "paused"), at, event.dueAt);
    case "dossier.deadline_extended":
      return { ...changeDue(state, at, event.dueAt), apology: state.apology || event.apology === true };
    case "dossier.resolved":
      if (state.resolvedAt !== undefined) return state;
      return { ...state, resolvedAt: at, resultDigitized: event.resultDigitized === true };
    case "dossier.returned":
      if (state.returnedAt !== undefined) return state;
      return { ...state, returnedAt: at, returnChannel: event.returnChannel };
    case "dossier.withdrawn":
      return state.withdrawnAt !== undefined ? state : { ...state, withdrawnAt: at };
    case "dossier.rejected":
      return { ...state, rejected: true };
    case "dossier.payment":
      return event.paidOnline ? { ...state, paidOnline: true } : state;
    case "dossier.rated":
      return { ...state, rating: { at, value: event.rating } };
    case "feedback.received":
    case "feedback.resolved":
      return state; // another kind of subject: never folded into a dossier
    default: {
      // A new event type fails to compile here until it is handled.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Applies one feedback event; events must come in canonical order. */
export function evolveFeedback(state: FeedbackState, event: Event): FeedbackState {
  const at = instantOf(event.occurredAt);
  switch (event.type) {
    case "feedback.received":
      if (state.receivedAt !== undefined) return state;
      return {
        ...state,
        receivedAt: at,
        communeCode: event.communeCode,
        fieldCode: event.fieldCode,
        feedbackKind: event.kind,
      };
    case "feedback.resolved":
      if (state.resolvedAt !== undefined)
        return { ...state, published: state.published || event.published === true };
      return { ...state, resolvedAt: at, published: event.published === true };
    case "dossier.received":
    case "dossier.updated":
    case "dossier.supplement_requested":
    case "dossier.supplement_received":
    case "dossier.paused":
    case "dossier.resumed":
    case "dossier.deadline_extended":
    case "dossier.resolved":
    case "dossier.returned":
    case "dossier.withdrawn":
    case "dossier.rejected":
    case "dossier.payment":
    case "dossier.rated":
      return state; // another kind of subject: never folded into a feedback
    default: {
      // A new event type fails to compile here until it is handled.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function evolve(state: SubjectState, event: Event): SubjectState {
  return state.kind === "dossier" ? evolveDossier(state, event) : evolveFeedback(state, event);
}

export function initialState(kind: SubjectState["kind"]): SubjectState {
  return kind === "dossier" ? initialDossierState() : initialFeedbackState();
}

/** The dossier's details with every correction applied, or undefined before its reception. */
export function effectiveDetails(state: DossierState): Details | undefined {
  if (state.base === undefined) return undefined;
  return { ...state.base, ...state.patch } as Details;
}

/** Whether the subject's opening event (`dossier.received` / `feedback.received`) is still missing. */
export function isIncomplete(state: SubjectState): boolean {
  return state.receivedAt === undefined;
}
