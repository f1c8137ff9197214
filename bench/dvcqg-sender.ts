/**
 * A provincial one-stop system's DVCQG sync, simulated: a dossier's history (events of the event
 * model, as bench/realistic-year.ts generates them) replayed as the snapshots (`DongBoHoSoMC`) and
 * progress entries (`CapNhatTienDoHoSoMC`) such a system sends, one snapshot per change, each with
 * the personal data real snapshots carry (which the product must drop).
 *
 * What the national sync does not carry (interlinked bundles, electronic certification, apology
 * letters, satisfaction ratings, feedback) comes back as `extras`: events the province sends to
 * the signed `/events` intake as today, on the same dossier codes.
 *
 * Used by `npm run dvcqg:demo`, `npm run bench:dvcqg` and the tests.
 */
import { randomUUID } from "node:crypto";
import { type Event, sortCanonically } from "../shared/domain/events";
import { formatDvcqgDate } from "../shared/dvcqg/payload";
import { mapLimited } from "../shared/map-limited";

export type Snapshot = Record<string, unknown> & { MaHoSo: string };
export type ProgressEntry = Record<string, unknown> & { MaHoSo: string };

/** One message of the sync, in the order the sender emits them. */
export type SyncMessage = (
  | { service: "DongBoHoSoMC"; item: Snapshot }
  | { service: "CapNhatTienDoHoSoMC"; item: ProgressEntry }
) & {
  /** When the change it reports happened (epoch ms): a sender in time order sends it then. */
  at?: number;
};

export interface RenderedDossier {
  dossierCode: string;
  messages: SyncMessage[];
  /** Facts the DVCQG sync has no field for, sent to `/events`. */
  extras: Event[];
}

const CHANNEL_CODE = { direct: "1", online: "2", postal: "3" } as const;
const date = (timestamp: string) => formatDvcqgDate(Date.parse(timestamp));

/** Personal data as a real snapshot has it; `marker` makes each value findable in a leak search. */
export function personalData(marker: string) {
  return {
    ChuHoSo: `Nguyễn Văn ${marker}`,
    SoDienThoai: `09${marker}`,
    Email: `${marker}@example.vn`,
    Fax: `024${marker}`,
    DiaChiThuongTru: `Số ${marker} đường Trần Hưng Đạo`,
    TrichYeuHoSo: `Đề nghị cấp bản sao cho ${marker}`,
    GhiChu: `ghi chú ${marker}`,
    ThongTinKhac: `thông tin ${marker}`,
    DinhDanhCHS: [{ LoaiDinhDanh: "1", SoDinhDanh: `0${marker}` }],
    DonViXuLy: `Bộ phận một cửa ${marker}`,
  };
}

interface View {
  snapshot: Snapshot;
  rounds: Record<string, string>[];
}

/**
 * Renders one dossier's events (any order: they are replayed in canonical order) as the sync a
 * sender emits. `marker` seeds the personal data; `agency` is the prefix the sender would use (the
 * dossier code is kept as is, so reports list the same codes).
 */
export function renderDossier(events: readonly Event[], marker: string): RenderedDossier {
  const ordered = sortCanonically(events.filter((event) => "dossierCode" in event));
  const dossierCode = (ordered[0] as { dossierCode: string } | undefined)?.dossierCode ?? "";
  const messages: SyncMessage[] = [];
  const extras: Event[] = [];
  let view: View | undefined;
  let now = 0;
  const entry = (status: number, at: string) =>
    messages.push({
      service: "CapNhatTienDoHoSoMC",
      at: now,
      item: {
        MaHoSo: dossierCode,
        TrangThai: String(status),
        ThoiDiemXuLy: date(at),
        NguoiXuLy: `Cán bộ ${marker}`,
        ChucDanh: "Công chức",
        PhongBanXuLy: "Bộ phận một cửa",
        NoiDungXuLy: `Xử lý hồ sơ của ${marker}`,
        NgayBatDau: date(at),
        NgayKetThucTheoQuyDinh: "",
      },
    });
  const send = () => {
    if (!view) return;
    messages.push({
      service: "DongBoHoSoMC",
      at: now,
      item: structuredClone({ ...view.snapshot, DanhSachHoSoBoSung: view.rounds }),
    });
  };
  const extra = (event: Event, suffix: string) =>
    extras.push({ ...event, id: `${event.id}.x${suffix}` } as Event);

  for (const event of ordered) {
    now = Date.parse(event.occurredAt);
    if (event.type === "dossier.received") {
      if (view) continue;
      const components = [0, 1, 2].map((i) => ({
        TepDinhKemId: `${marker}${i}`,
        TenTepDinhKem: `to-khai-${marker}-${i}.pdf`,
        IsDeleted: "False",
        MaThanhPhanHoSo: `TP${i + 1}`,
        DuongDanTaiTepTin: `https://igate.example.vn/files/${marker}/${i}.pdf`,
        DuocSoHoa: event.digitization === "full" || (event.digitization === "partial" && i === 0) ? "1" : "0",
      }));
      view = {
        snapshot: {
          MaHoSo: dossierCode,
          MaTTHC: event.procedureCode,
          ...(event.procedureName ? { TenTTHC: event.procedureName } : {}),
          MaLinhVuc: event.fieldCode,
          ...(event.fieldName ? { TenLinhVuc: event.fieldName } : {}),
          KenhThucHien: CHANNEL_CODE[event.channel],
          LoaiDoiTuong: "1",
          NgayTiepNhan: date(event.occurredAt),
          NgayNopHoSo: date(event.occurredAt),
          NgayHenTra: event.dueAt ? date(event.dueAt) : "",
          TrangThaiHoSo: "2",
          NgayTra: "",
          NgayKetThucXuLy: "",
          HinhThuc: "0",
          HoSoCoThanhPhanSoHoa: event.digitization === "none" ? "0" : "1",
          DuocThanhToanTrucTuyen: "0",
          TaiLieuNop: components,
          DanhSachLePhi: event.feeRequired
            ? [{ TenPhiLePhi: "Lệ phí", MaPhiLePhi: "LP1", HinhThucThu: "1", Gia: "8000", LoaiPhiLePhi: "1" }]
            : [],
          DanhSachGiayToKetQua: [],
          ...personalData(marker),
        },
        rounds: [],
      };
      if (event.interlink !== undefined || event.electronicCertification !== undefined) {
        extra(
          {
            type: "dossier.updated",
            id: event.id,
            occurredAt: event.occurredAt,
            dossierCode,
            ...(event.interlink ? { interlink: event.interlink } : {}),
            ...(event.electronicCertification !== undefined
              ? { electronicCertification: event.electronicCertification }
              : {}),
          } as Event,
          "il",
        );
      }
      entry(2, event.occurredAt);
      send();
      continue;
    }
    if (!view) {
      extra(event, "early"); // nothing to snapshot before the reception: as events
      continue;
    }
    const s = view.snapshot;
    switch (event.type) {
      case "dossier.updated": {
        if (event.fieldCode !== undefined) s.MaLinhVuc = event.fieldCode;
        if (event.fieldName !== undefined) s.TenLinhVuc = event.fieldName;
        if (event.procedureCode !== undefined) s.MaTTHC = event.procedureCode;
        if (event.procedureName !== undefined) s.TenTTHC = event.procedureName;
        if (event.channel !== undefined) s.KenhThucHien = CHANNEL_CODE[event.channel];
        if (event.dueAt !== undefined) s.NgayHenTra = event.dueAt ? date(event.dueAt) : "";
        if (event.feeRequired !== undefined) {
          s.DanhSachLePhi = event.feeRequired ? [{ TenPhiLePhi: "Lệ phí", Gia: "8000" }] : [];
        }
        if (event.interlink !== undefined || event.electronicCertification !== undefined) extra(event, "upd");
        send();
        break;
      }
      case "dossier.supplement_requested":
        view.rounds.push({
          HoSoBoSungId: randomUUID(),
          NguoiYeuCauBoSung: `Cán bộ ${marker}`,
          NoiDungBoSung: `Bổ sung giấy tờ của ${marker}`,
          NgayBoSung: date(event.occurredAt),
          NgayHenTraTruoc: s.NgayHenTra as string,
        });
        s.TrangThaiHoSo = "5";
        entry(5, event.occurredAt);
        send();
        break;
      case "dossier.supplement_received": {
        const round = view.rounds.findLast((r) => !r.NgayTiepNhanBoSung);
        if (event.dueAt) s.NgayHenTra = date(event.dueAt);
        if (round) {
          round.NgayTiepNhanBoSung = date(event.occurredAt);
          round.NguoiTiepNhanBoSung = `Cán bộ ${marker}`;
          round.NgayHenTraMoi = s.NgayHenTra as string;
        }
        s.TrangThaiHoSo = "4";
        entry(4, event.occurredAt);
        send();
        break;
      }
      case "dossier.paused": {
        const status = event.reason === "financial-obligation" ? 6 : 8;
        s.TrangThaiHoSo = String(status);
        entry(status, event.occurredAt);
        send();
        break;
      }
      case "dossier.resumed":
        if (event.dueAt) s.NgayHenTra = date(event.dueAt);
        s.TrangThaiHoSo = "4";
        entry(4, event.occurredAt);
        send();
        break;
      case "dossier.deadline_extended":
        s.NgayHenTra = date(event.dueAt);
        // The apology letter has no DVCQG field: the province sends the extension as an event too.
        if (event.apology) extra(event, "ext");
        send();
        break;
      case "dossier.resolved":
        s.TrangThaiHoSo = "9";
        s.NgayKetThucXuLy = date(event.occurredAt);
        if (event.resultDigitized) {
          s.DanhSachGiayToKetQua = [
            {
              TenGiayTo: `ket-qua-${marker}.pdf`,
              GiayToId: marker,
              DuongDanTepTinKetQua: `https://igate.example.vn/ketqua/${marker}.pdf`,
            },
          ];
        }
        entry(9, event.occurredAt);
        send();
        break;
      case "dossier.returned":
        s.TrangThaiHoSo = "10";
        s.NgayTra = date(event.occurredAt);
        s.HinhThuc = event.returnChannel === "postal" ? "1" : "0";
        s.ThongTinTra = `Trả cho ${marker}`;
        entry(10, event.occurredAt);
        send();
        break;
      case "dossier.withdrawn":
        s.TrangThaiHoSo = "7";
        s.NgayKetThucXuLy = date(event.occurredAt);
        entry(7, event.occurredAt);
        send();
        break;
      case "dossier.rejected":
        s.TrangThaiHoSo = "3";
        s.NgayTuChoi = date(event.occurredAt);
        entry(3, event.occurredAt);
        send();
        break;
      case "dossier.payment":
        if (event.paidOnline) {
          s.DuocThanhToanTrucTuyen = "1";
          send();
        }
        break;
      default:
        extra(event, "ev"); // ratings: no DVCQG field
    }
  }
  return { dossierCode, messages, extras };
}

/** Splits a generated year into its dossiers' sync and the events that only `/events` carries. */
export function renderYear(events: readonly Event[]): { dossiers: RenderedDossier[]; otherEvents: Event[] } {
  const byDossier = new Map<string, Event[]>();
  const otherEvents: Event[] = [];
  for (const event of events) {
    if (!("dossierCode" in event)) {
      otherEvents.push(event);
      continue;
    }
    const list = byDossier.get(event.dossierCode) ?? [];
    list.push(event);
    byDossier.set(event.dossierCode, list);
  }
  const dossiers = [...byDossier.values()].map((list, i) => renderDossier(list, String(100000 + i)));
  return { dossiers, otherEvents: [...otherEvents, ...dossiers.flatMap((d) => d.extras)] };
}

// --- HTTP client, as a provincial system runs it --------------------------------------------------

export interface DvcqgClientOptions {
  baseUrl: string;
  sourceId: string;
  username: string;
  password: string;
  /** The `madonvi` sent with every call (the agency the dossier codes do not carry). */
  madonvi: string;
}

export interface SyncAnswer {
  status: number;
  body: {
    error_code: number;
    message: string;
    results?: { MaHoSo: string; status: string }[];
    result?: unknown[];
  };
}

/** Logs in once, reuses the session, logs in again when it is refused, and retries 429/5xx answers. */
export class DvcqgClient {
  private session: string | undefined;
  constructor(private readonly options: DvcqgClientOptions) {}

  private url(path: string) {
    return `${this.options.baseUrl}/v1/sources/${encodeURIComponent(this.options.sourceId)}/dvcqg${path}`;
  }

  async logIn(): Promise<string> {
    const response = await fetch(this.url("/auth"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: this.options.username, password: this.options.password }),
    });
    const body = (await response.json()) as { error_code: number; session?: string; message: string };
    if (response.status !== 200 || !body.session)
      throw new Error(`log-in answered ${response.status}: ${body.message}`);
    this.session = body.session;
    return body.session;
  }

  async call(service: string, fields: Record<string, unknown>): Promise<SyncAnswer> {
    for (let attempt = 1; ; attempt++) {
      const session = this.session ?? (await this.logIn());
      const response = await fetch(this.url(""), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ session, madonvi: this.options.madonvi, service, ...fields }),
      });
      const body = (await response.json()) as SyncAnswer["body"];
      if (response.status === 401 && attempt < 3) {
        this.session = undefined;
        continue;
      }
      // Retrying is always safe: a re-sent item is `unchanged`.
      if ((response.status >= 500 || response.status === 429) && attempt < 6) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        continue;
      }
      return { status: response.status, body };
    }
  }
}

export interface SyncStats {
  calls: number;
  applied: number;
  unchanged: number;
  rejected: number;
  /** Latency of each sync call, ms. */
  latencies: number[];
}

/**
 * Sends rendered dossiers as a sender would: each dossier's messages in order (wave k holds every
 * dossier's k-th message), snapshots in batches of `batchSize`, progress entries in batches of
 * `entryBatchSize`, `senders` calls at once; every `resendEvery`-th snapshot batch is sent twice
 * (a retry after a lost answer), and each dossier's first snapshot is sent again at the end (an old
 * snapshot arriving after newer ones).
 *
 * With `order: "time"`, every message goes out in the order the changes happened, across dossiers,
 * as a system that syncs each change when it happens: each run of `batchSize` messages gives one
 * call of its progress entries and one of its snapshots, and `senders` runs go at once.
 */
export async function syncDossiers(
  client: DvcqgClient,
  dossiers: readonly RenderedDossier[],
  options: {
    senders: number;
    batchSize: number;
    entryBatchSize?: number;
    resendEvery?: number;
    lookups?: number;
    /** Send each dossier's first snapshot again at the end (default true). */
    staleResend?: boolean;
    /** `waves` (default): every dossier's k-th message, wave after wave; `time`: as the changes happened. */
    order?: "waves" | "time";
  },
): Promise<SyncStats> {
  const stats: SyncStats = { calls: 0, applied: 0, unchanged: 0, rejected: 0, latencies: [] };
  const calls: { service: string; data: unknown[] }[] = [];
  if (options.order === "time") {
    const timeline = dossiers
      .flatMap((d) => d.messages.map((message, i) => ({ message, i })))
      .sort((a, b) => (a.message.at ?? 0) - (b.message.at ?? 0) || a.i - b.i);
    for (let i = 0; i < timeline.length; i += options.batchSize) {
      const run = timeline.slice(i, i + options.batchSize).map(({ message }) => message);
      for (const service of ["CapNhatTienDoHoSoMC", "DongBoHoSoMC"]) {
        const data = run.filter((m) => m.service === service).map((m) => m.item);
        if (data.length > 0) calls.push({ service, data });
      }
    }
  }
  const waves = options.order === "time" ? 0 : Math.max(0, ...dossiers.map((d) => d.messages.length));
  const entryBatch = options.entryBatchSize ?? 100;
  for (let k = 0; k < waves; k++) {
    const snapshots: unknown[] = [];
    const entries: unknown[] = [];
    for (const dossier of dossiers) {
      const message = dossier.messages[k];
      if (message?.service === "DongBoHoSoMC") snapshots.push(message.item);
      else if (message) entries.push(message.item);
    }
    for (let i = 0; i < entries.length; i += entryBatch)
      calls.push({ service: "CapNhatTienDoHoSoMC", data: entries.slice(i, i + entryBatch) });
    let batch = 0;
    for (let i = 0; i < snapshots.length; i += options.batchSize) {
      const data = snapshots.slice(i, i + options.batchSize);
      calls.push({ service: "DongBoHoSoMC", data });
      if (options.resendEvery && ++batch % options.resendEvery === 0)
        calls.push({ service: "DongBoHoSoMC", data });
    }
    // A wave must be stored before the next one starts: a dossier's messages go out in order.
    calls.push({ service: "wave", data: [] });
  }
  const stale = ((options.staleResend ?? true) ? dossiers : []).flatMap((d) =>
    d.messages
      .filter((m) => m.service === "DongBoHoSoMC")
      .slice(0, 1)
      .map((m) => m.item),
  );
  for (let i = 0; i < stale.length; i += options.batchSize)
    calls.push({ service: "DongBoHoSoMC", data: stale.slice(i, i + options.batchSize) });

  let start = 0;
  while (start < calls.length) {
    let end = calls.findIndex((call, i) => i >= start && call.service === "wave");
    if (end === -1) end = calls.length;
    await mapLimited(calls.slice(start, end), options.senders, async (call) => {
      const began = performance.now();
      const answer = await client.call(call.service, { isUpdating: "True", data: call.data });
      stats.latencies.push(performance.now() - began);
      stats.calls += 1;
      if (answer.status !== 200) {
        throw new Error(
          `${call.service} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
        );
      }
      for (const result of answer.body.results ?? [])
        stats[result.status as "applied" | "unchanged" | "rejected"] += 1;
    });
    start = end + 1;
  }
  for (const dossier of dossiers.slice(0, options.lookups ?? 0)) {
    await client.call("TraCuuHoSo", { mahoso: dossier.dossierCode });
    stats.calls += 1;
  }
  return stats;
}

/** Sends events to the signed `/events` intake (what the DVCQG sync cannot carry), retrying 5xx. */
export async function sendEvents(
  baseUrl: string,
  sourceId: string,
  secret: string,
  events: readonly Event[],
  batchSize = 200,
): Promise<void> {
  const { signPayload } = await import("../shared/intake/signature");
  for (let i = 0; i < events.length; i += batchSize) {
    const body = JSON.stringify({ events: events.slice(i, i + batchSize) });
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${baseUrl}/v1/sources/${encodeURIComponent(sourceId)}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signPayload({ secret, id: randomUUID(), body }) },
        body,
      });
      if (response.status === 200) break;
      // Retrying is always safe: events already stored come back as duplicates.
      if (response.status < 500 || attempt >= 5) {
        throw new Error(`/events answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
  }
}

export interface ReplayOptions {
  baseUrl: string;
  communeCode: string;
  year: number;
  dossiers: number;
  source: { id: string; secret: string; username: string; password: string };
  senders?: number;
  batchSize?: number;
  log?: (line: string) => void;
}

/**
 * The generated year of `npm run demo` (same seed, same dossiers), sent as a provincial system's
 * DVCQG sync, plus what only `/events` carries. The report built afterwards equals the one of the
 * year sent as events.
 */
export async function replayYearAsDvcqg(options: ReplayOptions): Promise<SyncStats> {
  const { generateCommuneYear } = await import("./realistic-year");
  const log = options.log ?? (() => undefined);
  const events = generateCommuneYear({
    communeCode: options.communeCode,
    year: options.year,
    dossiers: options.dossiers,
    seed: options.year,
  });
  const { dossiers, otherEvents } = renderYear(events);
  const messages = dossiers.reduce((n, d) => n + d.messages.length, 0);
  log(
    `Syncing ${dossiers.length} dossiers of commune ${options.communeCode}, ${options.year} as DVCQG: ` +
      `${messages} snapshots and progress entries, then ${otherEvents.length} events DVCQG has no field for …`,
  );
  const client = new DvcqgClient({
    baseUrl: options.baseUrl,
    sourceId: options.source.id,
    username: options.source.username,
    password: options.source.password,
    madonvi: options.communeCode,
  });
  await client.logIn();
  const started = performance.now();
  const stats = await syncDossiers(client, dossiers, {
    senders: options.senders ?? 8,
    batchSize: options.batchSize ?? 50,
    resendEvery: 7,
    lookups: 20,
  });
  await sendEvents(options.baseUrl, options.source.id, options.source.secret, otherEvents);
  const seconds = (performance.now() - started) / 1000;
  log(
    `  ${stats.calls} calls in ${seconds.toFixed(1)} s: ${stats.applied} items applied, ${stats.unchanged} unchanged ` +
      `(re-sends), ${stats.rejected} rejected`,
  );
  return stats;
}
