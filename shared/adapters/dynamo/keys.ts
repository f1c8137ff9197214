import type { SubjectRef } from "../../domain/events";

/** Item keys of the single table (layout in ../table.ts). */
export const keys = {
  head: (sourceId: string, subject: SubjectRef) => ({
    pk: `S#${sourceId}#${subject.kind === "dossier" ? "D" : "F"}#${subject.code}`,
    sk: "HEAD",
  }),
  event: (sourceId: string, eventId: string) => ({ pk: `S#${sourceId}#E#${eventId}`, sk: "EVENT" }),
  aggregate: (communeCode: string, month: string, fieldCode: string) => ({
    pk: `A#${communeCode}`,
    sk: `${month}#${fieldCode}`,
  }),
  aggregatePartition: (communeCode: string) => `A#${communeCode}`,
  /**
   * A commune's commit marker: bumped by every intake transaction that changes its aggregates or
   * listings, read by the live figures cache. A partition of its own: no aggregate Query sees it.
   */
  commitMarker: (communeCode: string) => ({ pk: `CM#${communeCode}`, sk: "COMMITS" }),
  listing: (
    listing: { communeCode: string; kind: string; month: string },
    sourceId: string,
    dossierCode: string,
  ) => ({
    pk: `L#${listing.communeCode}`,
    sk: `${listing.kind}#${listing.month}#${sourceId}#${dossierCode}`,
  }),
  listingPartition: (communeCode: string) => `L#${communeCode}`,
  incompletePartition: (sourceId: string) => `INCOMPLETE#${sourceId}`,
  dvcqgSession: (sessionHash: string) => ({ pk: `DQS#${sessionHash}`, sk: "SESSION" }),
  /** People (docs/people.md): one partition of grants, keyed by e-mail (few: a province's officials). */
  grant: (email: string) => ({ pk: "G#GRANTS", sk: `E#${email}` }),
  grantsPartition: "G#GRANTS",
  /** Which grant a signed-in person is bound to: written with the binding, read on every request. */
  grantBinding: (issuer: string, subject: string) => ({ pk: `G#SUB#${issuer}#${subject}`, sk: "BINDING" }),
  dvcqgFailures: (sourceId: string, windowStart: number) => ({
    pk: `DQF#${sourceId}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** A unit's report editions of one period (`periodKey`: `2023`, `2023-q2`…). */
  editionPartition: (unit: string, periodKey: string) => `ED#${unit}#${periodKey}`,
  editionHead: (unit: string, periodKey: string) => ({ pk: `ED#${unit}#${periodKey}`, sk: "HEAD" }),
  editionEarlier: (unit: string, periodKey: string, edition: number) => ({
    pk: `ED#${unit}#${periodKey}`,
    sk: `E#${String(edition).padStart(3, "0")}`,
  }),
  editionRevision: (unit: string, periodKey: string, edition: number, revision: number) => ({
    pk: `ED#${unit}#${periodKey}`,
    sk: `R#${String(edition).padStart(3, "0")}#${String(revision).padStart(6, "0")}`,
  }),
};
