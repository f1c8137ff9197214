import { createHash } from "node:crypto";
import { canonicalJson } from "../domain/canonical-json";
import type { DossierSnapshot, ProgressEntry } from "./payload";

/**
 * Snapshot → facts: each DVCQG snapshot and progress entry becomes events of the existing event model
 * (docs/api.md), fed to the same exactly-once store as `/events`. No state is read: the facts are a
 * pure function of the payload, and their ids are derived from the dossier code, the fact's kind and
 * its whole content, so that:
 * - a resent snapshot gives the same facts, all already stored: `unchanged`;
 * - a snapshot that differs gives new facts beside the old ones, never an id conflict; the fold
 *   decides between them as for any events (the first reception, resolution, return or withdrawal
 *   in time stands; a correction made later in time wins);
 * - an older snapshot therefore never takes back a newer one's facts: its facts are already there,
 *   and its details sort before the newer snapshot's correction (see `asOf`).
 *
 * How one snapshot reads (docs/dvcqg.md lists every rule):
 * - `dossier.received` at `NgayTiepNhan` with the dossier's details, and `dossier.updated` with the
 *   same details at the snapshot's as-of instant (the latest date it carries) when that is later than
 *   the reception, so that the details of the snapshot that knows the most are the ones in force;
 * - the due date in force at reception is the first supplement round's `NgayHenTraTruoc`, else
 *   `NgayHenTra`; each received supplement round sets `NgayHenTraMoi` from `NgayTiepNhanBoSung` on; a
 *   `NgayHenTra` that differs from what the rounds give is an extension at the as-of instant;
 * - status 3: rejected; 7: withdrawn; 9: resolved at `NgayKetThucXuLy`; 10: resolved (at
 *   `NgayKetThucXuLy`, else `NgayTra`) and returned at `NgayTra`; 1: nothing yet;
 * - pauses (6, 8), supplement requests (5) and resumptions (4) are dated by progress entries.
 */

export type RawFact = Record<string, unknown> & { id: string; type: string; occurredAt: string };

export interface SnapshotFacts {
  /** The dossier's commune was checked on this instant (its reception). */
  receivedAt?: number;
  facts: RawFact[];
}

export class SnapshotError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** An instant as RFC 3339 in local time, as the events carry it. */
export function localTimestamp(instant: number): string {
  return `${new Date(instant + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

const hex = (value: string, length: number) =>
  createHash("sha256").update(value, "utf8").digest("hex").slice(0, length);

/** `dq.{dossier}.{kind}.{content}`: equal content, equal id; any other content, another id. */
function fact(dossierCode: string, kind: string, body: Record<string, unknown>): RawFact {
  const content = { ...body, dossierCode };
  const id = `dq.${hex(dossierCode, 16)}.${kind}.${hex(canonicalJson(content), 20)}`;
  return { id, ...content } as unknown as RawFact;
}

const at = (instant: number) => localTimestamp(instant);

function digitizationOf(snapshot: DossierSnapshot): "none" | "partial" | "full" {
  const components = snapshot.TaiLieuNop.filter((component) => !component.IsDeleted);
  if (components.length === 0) return snapshot.HoSoCoThanhPhanSoHoa ? "partial" : "none";
  const digitized = components.filter((component) => component.DuocSoHoa).length;
  return digitized === components.length ? "full" : digitized > 0 ? "partial" : "none";
}

const CHANNELS = { 1: "direct", 2: "online", 3: "postal" } as const;

/** The facts of one snapshot, for a dossier of `communeCode`. Throws `SnapshotError` when it cannot be read. */
export function snapshotFacts(snapshot: DossierSnapshot, communeCode: string): SnapshotFacts {
  const status = snapshot.TrangThaiHoSo;
  const code = snapshot.MaHoSo;
  if (status === 1) return { facts: [] }; // registered online, not received: counts nowhere yet

  const receivedAt =
    snapshot.NgayTiepNhan ?? (status === 3 ? (snapshot.NgayTuChoi ?? snapshot.NgayNopHoSo) : undefined);
  if (receivedAt === undefined) {
    throw new SnapshotError("NgayTiepNhan", `a dossier with status ${status} needs its reception date`);
  }
  const rounds = [...snapshot.DanhSachHoSoBoSung].sort(
    (a, b) => (a.NgayBoSung ?? Number.MAX_SAFE_INTEGER) - (b.NgayBoSung ?? Number.MAX_SAFE_INTEGER),
  );
  const initialDue = rounds[0]?.NgayHenTraTruoc ?? snapshot.NgayHenTra;
  const asOf = Math.max(
    receivedAt,
    ...rounds.flatMap((round) => [round.NgayBoSung ?? 0, round.NgayTiepNhanBoSung ?? 0]),
    snapshot.NgayKetThucXuLy ?? 0,
    snapshot.NgayTra ?? 0,
    snapshot.NgayTuChoi ?? 0,
  );

  const details = {
    communeCode,
    fieldCode: snapshot.MaLinhVuc,
    ...(snapshot.TenLinhVuc ? { fieldName: snapshot.TenLinhVuc } : {}),
    procedureCode: snapshot.MaTTHC,
    ...(snapshot.TenTTHC ? { procedureName: snapshot.TenTTHC } : {}),
    channel: CHANNELS[(snapshot.KenhThucHien ?? 1) as 1 | 2 | 3],
    dueAt: initialDue === undefined ? null : at(initialDue),
    digitization: digitizationOf(snapshot),
    feeRequired: snapshot.DanhSachLePhi.some((fee) => fee.Gia === undefined || Number(fee.Gia) > 0),
  };
  const facts: RawFact[] = [
    fact(code, "rcv", { type: "dossier.received", occurredAt: at(receivedAt), ...details }),
  ];
  // A snapshot dated by its reception alone (status 2 or 4, no later date) states nothing its
  // reception fact does not: its correction would be one more stored fact, and head entry, per dossier.
  if (asOf > receivedAt) {
    facts.push(fact(code, "upd", { type: "dossier.updated", occurredAt: at(asOf), ...details }));
  }

  let dueByRounds = initialDue;
  for (const round of rounds) {
    if (round.NgayBoSung !== undefined) {
      facts.push(
        fact(code, "sup", { type: "dossier.supplement_requested", occurredAt: at(round.NgayBoSung) }),
      );
    }
    if (round.NgayTiepNhanBoSung !== undefined) {
      const dueAt = round.NgayHenTraMoi;
      if (dueAt !== undefined) dueByRounds = dueAt;
      facts.push(
        fact(code, "supr", {
          type: "dossier.supplement_received",
          occurredAt: at(round.NgayTiepNhanBoSung),
          ...(dueAt === undefined ? {} : { dueAt: at(dueAt) }),
        }),
      );
    }
  }
  if (snapshot.NgayHenTra !== undefined && snapshot.NgayHenTra !== dueByRounds) {
    facts.push(
      fact(code, "ext", {
        type: "dossier.deadline_extended",
        occurredAt: at(asOf),
        dueAt: at(snapshot.NgayHenTra),
      }),
    );
  }

  if (snapshot.DuocThanhToanTrucTuyen === 1 || snapshot.DuocThanhToanTrucTuyen === 2) {
    facts.push(fact(code, "pay", { type: "dossier.payment", occurredAt: at(receivedAt), paidOnline: true }));
  }

  switch (status) {
    case 3:
      facts.push(
        fact(code, "rej", { type: "dossier.rejected", occurredAt: at(snapshot.NgayTuChoi ?? receivedAt) }),
      );
      break;
    case 7:
      facts.push(
        fact(code, "wd", { type: "dossier.withdrawn", occurredAt: at(snapshot.NgayKetThucXuLy ?? asOf) }),
      );
      break;
    case 9:
    case 10: {
      const resolvedAt = snapshot.NgayKetThucXuLy ?? (status === 10 ? snapshot.NgayTra : undefined);
      if (resolvedAt === undefined) {
        throw new SnapshotError("NgayKetThucXuLy", `a dossier with status ${status} needs its finish date`);
      }
      const resultDigitized = snapshot.DanhSachGiayToKetQua.some((result) => result.hasFile);
      // At one instant the fold keeps the resolution whose id sorts first: `resd` (result digitized)
      // sorts before `resn`, so a result digitized in a later snapshot is never lost.
      facts.push(
        fact(code, resultDigitized ? "resd" : "resn", {
          type: "dossier.resolved",
          occurredAt: at(resolvedAt),
          resultDigitized,
        }),
      );
      if (status === 10) {
        if (snapshot.NgayTra === undefined) {
          throw new SnapshotError("NgayTra", "a dossier with status 10 needs its return date");
        }
        facts.push(
          fact(code, "ret", {
            type: "dossier.returned",
            occurredAt: at(snapshot.NgayTra),
            returnChannel: snapshot.HinhThuc === 1 ? "postal" : "direct",
          }),
        );
      }
      break;
    }
    default:
      break; // 2, 4 received; 5, 6, 8 dated by progress entries and supplement rounds
  }
  return { receivedAt, facts };
}

/**
 * The facts of one progress entry: the exact time of a status change. 5 opens a supplement hold, 6
 * and 8 a pause, 4 (processing again) closes either; 3 and 7 close the dossier. 1, 2, 9 and 10 are
 * dated by the snapshot itself and give nothing.
 */
export function progressFacts(entry: ProgressEntry): RawFact[] {
  const code = entry.MaHoSo;
  const occurredAt = at(entry.ThoiDiemXuLy);
  switch (entry.TrangThai) {
    case 3:
      return [fact(code, "rej", { type: "dossier.rejected", occurredAt })];
    case 4:
      return [
        fact(code, "res", { type: "dossier.resumed", occurredAt }),
        fact(code, "supr", { type: "dossier.supplement_received", occurredAt }),
      ];
    case 5:
      return [fact(code, "sup", { type: "dossier.supplement_requested", occurredAt })];
    case 6:
      return [fact(code, "pause", { type: "dossier.paused", occurredAt, reason: "financial-obligation" })];
    case 7:
      return [fact(code, "wd", { type: "dossier.withdrawn", occurredAt })];
    case 8:
      return [fact(code, "pause", { type: "dossier.paused", occurredAt, reason: "stopped" })];
    default:
      return [];
  }
}
