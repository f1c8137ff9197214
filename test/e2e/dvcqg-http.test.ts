import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { keys } from "../../shared/adapters/dynamo/keys";
import { hashSession, LOCKOUT_MAX_FAILURES } from "../../shared/dvcqg/sessions";
import { DEMO_SOURCE } from "../../shared/intake/sources";

/**
 * docs/dvcqg.md over HTTP against the local stack (real handler, DynamoDB Local): log-in,
 * lock-out, every answer of its tables, and the bad input real senders send.
 * Sources: `demo` (its contract credentials), `haiduong` (an agency map, province 30 only), `plain`
 * (no DVCQG block), `guarded` (for the lock-out).
 */
const HAIDUONG = { username: "hd-igate", password: "hd-igate-password-for-tests" };
const GUARDED = { username: "guarded", password: "guarded-password-for-tests" };
const SECRET = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=";

let stack: LocalStack;
beforeAll(async () => {
  process.env.SOURCES_JSON = JSON.stringify([
    DEMO_SOURCE,
    {
      id: "haiduong",
      secrets: [SECRET],
      allowedProvinces: ["30"],
      dvcqg: {
        ...HAIDUONG,
        agencies: { "000.21.33.H23": "10621", "000.18.33.H23": "10618", HANOI: "00004", GONE: "99999" },
      },
    },
    { id: "plain", secrets: [SECRET] },
    { id: "guarded", secrets: [SECRET], dvcqg: { ...GUARDED, agencies: {} } },
  ]);
  stack = await startLocalStack({ port: 0, functions: ["dvcqg", "meta"] });
});
afterAll(async () => {
  delete process.env.SOURCES_JSON;
  await stack?.stop();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}/v1/sources/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: the tests read each answer's fields loosely
    body: (await response.json()) as Record<string, any>,
  };
}

const logIn = (source: string, credentials: { username: string; password: string }) =>
  post(`${source}/dvcqg/auth`, credentials);

async function sessionOf(
  source: string,
  credentials: { username: string; password: string },
): Promise<string> {
  const answer = await logIn(source, credentials);
  expect(answer.status).toBe(200);
  return answer.body.session as string;
}

const snapshot = (code: string, extra: Record<string, unknown> = {}) => ({
  MaHoSo: code,
  MaTTHC: "1.001193",
  TenTTHC: "Thủ tục đăng ký khai sinh",
  MaLinhVuc: "HT",
  TenLinhVuc: "Hộ tịch",
  KenhThucHien: "2",
  ChuHoSo: "Nguyễn Văn A",
  SoDienThoai: "0900000000",
  NgayTiepNhan: "20230302081500",
  NgayHenTra: "20230303170000",
  TrangThaiHoSo: "2",
  ...extra,
});

describe("POST /v1/sources/{sourceId}/dvcqg/auth", () => {
  it("gives a session valid at least 30 minutes for the right username and password", async () => {
    const answer = await logIn("demo", {
      username: "demo",
      password: "demo-dvcqg-password-do-not-use-in-production",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ error_code: 0, session: expect.any(String) });
    expect(answer.body.expires_in).toBeGreaterThanOrEqual(1800);
    expect(
      Buffer.from(String(answer.body.session).replace(/^dqs_/, ""), "base64url").length,
    ).toBeGreaterThanOrEqual(16);
  });

  it("answers the same 401 for a wrong password, an unknown user, a source without DVCQG and an unknown source", async () => {
    const answers = await Promise.all([
      logIn("haiduong", { ...HAIDUONG, password: "wrong-password-wrong" }),
      logIn("haiduong", { ...HAIDUONG, username: "nobody" }),
      logIn("plain", HAIDUONG),
      logIn("nosuchsource", HAIDUONG),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error_code: 1, message: "wrong username or password" });
    }
  });

  it("locks the source out after repeated failures, the right password included, with Retry-After", async () => {
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) {
      expect((await logIn("guarded", { ...GUARDED, password: `wrong-${i}` })).status).toBe(401);
    }
    const locked = await logIn("guarded", GUARDED);
    expect(locked.status).toBe(429);
    expect(locked.body.error_code).toBe(9);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another source is not affected.
    expect((await logIn("haiduong", HAIDUONG)).status).toBe(200);
  });
});

describe("POST /v1/sources/{sourceId}/dvcqg", () => {
  let session: string;
  beforeAll(async () => {
    session = await sessionOf("haiduong", HAIDUONG);
  });
  const sync = (body: Record<string, unknown>, source = "haiduong") =>
    post(`${source}/dvcqg`, { session, ...body });
  const lookup = async (code: string) => (await sync({ service: "TraCuuHoSo", mahoso: code })).body.result;

  it("refuses a missing, unknown, expired or other source's session with 401, applying nothing", async () => {
    const code = "000.21.33.H23-230302-9001";
    const data = [snapshot(code)];
    const expired = "dqs_expired-session-for-the-test";
    await dynamoClientFromEnv(process.env).send(
      new PutItemCommand({
        TableName: stack.env.TABLE_NAME,
        Item: marshall({
          ...keys.dvcqgSession(hashSession(expired)),
          source: "haiduong",
          expiresAt: Date.now() - 1000,
        }),
      }),
    );
    const demoSession = await sessionOf("demo", {
      username: "demo",
      password: "demo-dvcqg-password-do-not-use-in-production",
    });
    for (const body of [
      { service: "DongBoHoSoMC", data },
      { session: "dqs_unknown", service: "DongBoHoSoMC", data },
      { session: expired, service: "DongBoHoSoMC", data },
      { session: demoSession, service: "DongBoHoSoMC", data },
    ]) {
      const answer = await post("haiduong/dvcqg", body);
      expect(answer.status).toBe(401);
      expect(answer.body.error_code).toBe(1);
    }
    expect(await lookup(code)).toEqual([]);
  });

  it("answers 400 (error_code 2) for malformed JSON, wrong content type, unknown service and data out of limits", async () => {
    const bad = [
      await post("haiduong/dvcqg", "{not json"),
      await post("haiduong/dvcqg", JSON.stringify({ session, service: "DongBoHoSoMC", data: [] }), {
        "content-type": "text/plain",
      }),
      await sync({ service: "XoaHoSo", data: [snapshot("000.21.33.H23-1")] }),
      await sync({ service: "DongBoHoSoMC" }),
      await sync({ service: "DongBoHoSoMC", data: [] }),
      await sync({
        service: "DongBoHoSoMC",
        data: Array.from({ length: 101 }, (_, i) => snapshot(`000.21.33.H23-${i}`)),
      }),
      await sync({ service: "CapNhatTienDoHoSoMC", data: "x" }),
      await sync({ service: "TraCuuHoSo" }),
    ];
    for (const answer of bad) {
      expect(answer.status).toBe(400);
      expect(answer.body.error_code).toBe(2);
    }
  });

  it("answers 413 (error_code 2) for a body over 1 MiB", async () => {
    const answer = await sync({
      service: "DongBoHoSoMC",
      data: [snapshot("000.21.33.H23-big", { GhiChu: "x".repeat(1_100_000) })],
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error_code).toBe(2);
  });

  it("applies snapshots (200), finds them with TraCuuHoSo, and answers unchanged on a re-send", async () => {
    const code = "000.21.33.H23-230302-0001";
    expect(await lookup(code)).toEqual([]);
    const data = [snapshot(code), snapshot("X-1", { TrangThaiHoSo: 4 })];
    const first = await sync({
      service: "DongBoHoSoMC",
      madonvi: "000.18.33.H23",
      isUpdating: "False",
      data,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      error_code: 0,
      results: [
        { MaHoSo: code, status: "applied" },
        { MaHoSo: "X-1", status: "applied" },
      ],
    });
    const again = await sync({ service: "DongBoHoSoMC", madonvi: "000.18.33.H23", isUpdating: "True", data });
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "unchanged"]);
    expect(await lookup(code)).toEqual([
      {
        MaHoSo: code,
        TrangThaiHoSo: "4",
        NgayTiepNhan: "20230302081500",
        NgayHenTra: "20230303170000",
        NgayKetThucXuLy: "",
      },
    ]);
    const finished = await sync({
      service: "DongBoHoSoMC",
      data: [snapshot(code, { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230303090000" })],
    });
    expect(finished.body.results).toEqual([{ MaHoSo: code, status: "applied" }]);
    expect((await lookup(code))[0]).toMatchObject({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20230303090000" });
  });

  it("rejects each bad item with its code and path (207), applies the rest, and leaves nothing of the rejected", async () => {
    const items = [
      snapshot("000.21.33.H23-bad-date", { NgayTiepNhan: "20230230080000" }),
      snapshot("000.21.33.H23-empty", { MaLinhVuc: "" }),
      snapshot("000.21.33.H23-number-date", { NgayTiepNhan: 20230302 }),
      snapshot("000.21.33.H23-status", { TrangThaiHoSo: "12" }),
      snapshot("UNMAPPED-1"),
      snapshot("HANOI-1"),
      snapshot("GONE-1"),
      snapshot("000.21.33.H23-no-reception", { NgayTiepNhan: "" }),
      snapshot("000.21.33.H23-good", { TrangThaiHoSo: 4, KenhThucHien: 3 }),
    ];
    const answer = await sync({ service: "DongBoHoSoMC", madonvi: "NOT-MAPPED", data: items });
    expect(answer.status).toBe(207);
    expect(answer.body.error_code).toBe(4);
    expect(
      answer.body.results.map((r: { error?: { code: string; path?: string } }) => [
        r.error?.code,
        r.error?.path,
      ]),
    ).toEqual([
      ["invalid_dossier", "NgayTiepNhan"],
      ["invalid_dossier", "MaLinhVuc"],
      ["invalid_dossier", "NgayTiepNhan"],
      ["invalid_dossier", "TrangThaiHoSo"],
      ["unknown_agency", "madonvi"],
      ["out_of_scope", "MaHoSo"],
      ["unknown_unit", "MaHoSo"],
      ["invalid_dossier", "NgayTiepNhan"],
      [undefined, undefined],
    ]);
    expect(answer.body.results[8]).toEqual({ MaHoSo: "000.21.33.H23-good", status: "applied" });
    for (const item of items.slice(0, 8)) expect(await lookup(item.MaHoSo)).toEqual([]);
    expect(JSON.stringify(answer.body)).not.toContain("Nguyễn");
  });

  it("answers 422 (error_code 4) when every item is rejected", async () => {
    const answer = await sync({ service: "DongBoHoSoMC", data: [snapshot("UNMAPPED-2"), { MaHoSo: 5 }] });
    expect(answer.status).toBe(422);
    expect(answer.body.error_code).toBe(4);
    expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("keeps progress entries that come before their snapshot, and counts them once it arrives", async () => {
    const code = "000.21.33.H23-230310-0002";
    const entries = await sync({
      service: "CapNhatTienDoHoSoMC",
      data: [
        {
          MaHoSo: code,
          TrangThai: "8",
          ThoiDiemXuLy: "20230311100000",
          NguoiXuLy: "Cán bộ B",
          NoiDungXuLy: "…",
        },
        { MaHoSo: code, TrangThai: 4, ThoiDiemXuLy: "20230313100000" },
        { MaHoSo: code, TrangThai: "4", ThoiDiemXuLy: "20230231100000" },
        { MaHoSo: "UNMAPPED-3", TrangThai: "4", ThoiDiemXuLy: "20230313100000" },
      ],
    });
    expect(entries.status).toBe(207);
    expect(
      entries.body.results.map(
        (r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status,
      ),
    ).toEqual(["applied", "applied", "invalid_dossier", "unknown_agency"]);
    expect(await lookup(code)).toEqual([]);
    await sync({
      service: "DongBoHoSoMC",
      data: [snapshot(code, { NgayTiepNhan: "20230310080000", TrangThaiHoSo: "4" })],
    });
    expect((await lookup(code))[0]).toMatchObject({ TrangThaiHoSo: "4", NgayTiepNhan: "20230310080000" });
  });

  it("is safe under concurrent requests for one dossier: each fact is applied exactly once", async () => {
    const code = "000.21.33.H23-230315-0003";
    const versions = [
      snapshot(code, { NgayTiepNhan: "20230315080000", NgayHenTra: "20230320170000" }),
      snapshot(code, {
        NgayTiepNhan: "20230315080000",
        NgayHenTra: "20230320170000",
        TrangThaiHoSo: "9",
        NgayKetThucXuLy: "20230316090000",
      }),
      snapshot(code, {
        NgayTiepNhan: "20230315080000",
        NgayHenTra: "20230320170000",
        TrangThaiHoSo: "10",
        NgayKetThucXuLy: "20230316090000",
        NgayTra: "20230317090000",
      }),
    ];
    const answers = await Promise.all(
      [...versions, ...versions].map((item) => sync({ service: "DongBoHoSoMC", data: [item] })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await lookup(code)).toEqual([
      {
        MaHoSo: code,
        TrangThaiHoSo: "10",
        NgayTiepNhan: "20230315080000",
        NgayHenTra: "20230320170000",
        NgayKetThucXuLy: "20230316090000",
      },
    ]);
  });
});
