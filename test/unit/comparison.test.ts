import { describe, expect, it } from "vitest";
import { changeWords, comparisonRows, comparisonSentences } from "../../shared/reports/render/comparison";
import { predecessorNotes } from "../../shared/reports/render/reorganization-note";
import { serviceIndexText } from "../../shared/reports/render/service-index-text";
import { communeReportFixture } from "../support/report-fixture";

describe("the comparison with the previous period", () => {
  const report = communeReportFixture(); // 2023: 3.299 received; its 2022: 2.915
  const rows = comparisonRows(
    {
      total: report.dossiers.total,
      onlineReception: report.onlineReception,
      serviceIndex: report.serviceIndex,
    },
    report.previous,
  );

  it("states counts in percent and rates in percentage points, in Vietnamese number style", () => {
    const received = rows.find((r) => r.key === "received")!;
    expect([received.current, received.previous]).toEqual([3299, 2915]);
    expect(received.change).toBe(13.17);
    expect(received.words).toBe("tăng 13,17%");
    const online = rows.find((r) => r.key === "onlineReception")!;
    expect(online.kind).toBe("rate");
    expect(online.words).toMatch(/^tăng \d+(,\d+)? điểm phần trăm$/);
    const overdue = rows.find((r) => r.key === "pendingOverdue")!;
    expect(overdue.words).toBe("giảm 100%"); // 2 → 0
  });

  it("writes one sentence per headline figure, naming the previous period", () => {
    const sentences = comparisonSentences(rows, report.previous);
    expect(sentences[0]).toBe("Tổng số hồ sơ tiếp nhận: 3.299, tăng 13,17% so với năm 2022 (2.915)");
    expect(sentences).toContainEqual(
      expect.stringMatching(
        /^Tỷ lệ hồ sơ tiếp nhận trực tuyến: \d+,\d+%, tăng .* so với năm 2022 \(\d+,\d+%\)$/,
      ),
    );
    expect(sentences.length).toBe(rows.length);
  });

  it("says when nothing changed and when there is nothing to compare", () => {
    expect(changeWords("count", 12, 12)).toBe("không thay đổi");
    expect(changeWords("count", 5, 0)).toBe("không so sánh được");
    expect(changeWords("rate", 80.5, null)).toBe("không so sánh được");
    expect(changeWords("rate", 80.5, 82)).toBe("giảm 1,5 điểm phần trăm");
    expect(changeWords("count", 1000, 1250)).toBe("giảm 20%");
  });
});

describe("the texts of the additions", () => {
  it("names the full predecessors that are summed and the partial ones that are not", () => {
    const notes = predecessorNotes(
      {
        communeCode: "10633",
        communeName: "Xã Trần Phú",
        predecessors: [
          { communeCode: "10618", communeName: "Xã Hiệp Cát", share: "full" },
          { communeCode: "10621", communeName: "Xã Quốc Tuấn", share: "full" },
          { communeCode: "10699", communeName: "Xã Ví Dụ", share: "partial" },
        ],
      },
      { year: 2025, kind: "year", from: "2024-12-15", to: "2025-12-14" },
    );
    expect(notes[0]).toContain("số liệu năm 2025 của xã Trần Phú gồm toàn bộ số liệu");
    expect(notes[0]).toContain("xã Hiệp Cát (mã 10618), xã Quốc Tuấn (mã 10621)");
    expect(notes[0]).toContain("01/07/2025");
    expect(notes[1]).toContain("xã Ví Dụ (mã 10699)");
    expect(notes[1]).toContain("không được cộng");
    expect(predecessorNotes({ communeCode: "10621", communeName: "Xã Quốc Tuấn" }, notesPeriod)).toEqual([]);
  });

  it("states the service index with Decision 766 named, points and rates in Vietnamese style", () => {
    const { lead, lines } = serviceIndexText(communeReportFixture().serviceIndex);
    expect(lead).toMatch(/^Chỉ số chất lượng phục vụ theo Quyết định số 766\/QĐ-TTg ngày 23\/6\/2022/);
    expect(lead).toMatch(/đạt \d+(,\d+)?\/82 điểm/);
    expect(lines[0]).toMatch(
      /^Chỉ số 2\.1 - Tiến độ giải quyết hồ sơ: \d+(,\d+)?% \([\d.]+\/[\d.]+; đạt điểm tối đa từ 100%\): /,
    );
    expect(lines).toHaveLength(6);
  });
});

const notesPeriod = { year: 2023, kind: "year" as const, from: "2022-12-15", to: "2023-12-14" };
