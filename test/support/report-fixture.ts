/**
 * A realistic commune report shaped like the seed (Xã Quốc Tuấn, 2023, report 140/BC-UBND), with the
 * seed's hand-compiled drift removed: every identity of the model holds.
 *   received.total = online + directOrPostal + carriedOver = resolved.total + pending.total
 *   total row = sum of the field rows; rates = count ÷ of with two decimals.
 */
import { sumRows } from "../../shared/reports/build-model";
import type { CommuneReport, FieldRow, FormRow, ProvinceReport } from "../../shared/reports/model";
import { rateOf } from "../../shared/reports/model";

interface FieldFigures {
  fieldCode: string;
  fieldName: string;
  online: number;
  directOrPostal: number;
  carriedOver: number;
  early: number;
  onTime: number;
  late: number;
  withinDeadline: number;
  overdue: number;
}

export function fieldRow(f: FieldFigures): FieldRow {
  const received = f.online + f.directOrPostal + f.carriedOver;
  const resolved = f.early + f.onTime + f.late;
  const pending = f.withinDeadline + f.overdue;
  if (received !== resolved + pending) {
    throw new Error(
      `fixture field ${f.fieldCode}: received ${received} ≠ resolved ${resolved} + pending ${pending}`,
    );
  }
  return {
    fieldCode: f.fieldCode,
    fieldName: f.fieldName,
    received: {
      total: received,
      online: f.online,
      directOrPostal: f.directOrPostal,
      carriedOver: f.carriedOver,
    },
    resolved: { total: resolved, early: f.early, onTime: f.onTime, late: f.late },
    pending: { total: pending, withinDeadline: f.withinDeadline, overdue: f.overdue },
  };
}

/** The seed's six fields, figures as in its Form II.06a annex. */
export const FIXTURE_FIELDS: FieldRow[] = [
  fieldRow({
    fieldCode: "HT",
    fieldName: "Hộ tịch",
    online: 714,
    directOrPostal: 9,
    carriedOver: 0,
    early: 722,
    onTime: 0,
    late: 1,
    withinDeadline: 0,
    overdue: 0,
  }),
  fieldRow({
    fieldCode: "BTXH",
    fieldName: "Bảo trợ xã hội",
    online: 83,
    directOrPostal: 0,
    carriedOver: 20,
    early: 79,
    onTime: 24,
    late: 0,
    withinDeadline: 0,
    overdue: 0,
  }),
  fieldRow({
    fieldCode: "CT",
    fieldName: "Chứng thực",
    online: 2381,
    directOrPostal: 0,
    carriedOver: 0,
    early: 2380,
    onTime: 1,
    late: 0,
    withinDeadline: 0,
    overdue: 0,
  }),
  fieldRow({
    fieldCode: "NCC",
    fieldName: "Người có công",
    online: 0,
    directOrPostal: 28,
    carriedOver: 1,
    early: 23,
    onTime: 4,
    late: 0,
    withinDeadline: 2,
    overdue: 0,
  }),
  fieldRow({
    fieldCode: "LT-KT",
    fieldName: "Liên thông Hộ tịch - Đăng ký thường trú - Bảo trợ xã hội - Người có công",
    online: 1,
    directOrPostal: 0,
    carriedOver: 0,
    early: 1,
    onTime: 0,
    late: 0,
    withinDeadline: 0,
    overdue: 0,
  }),
  fieldRow({
    fieldCode: "LT-KS",
    fieldName: "Liên thông Hộ tịch - Đăng ký thường trú - Quản lý thu, Sổ - thẻ",
    online: 62,
    directOrPostal: 0,
    carriedOver: 0,
    early: 62,
    onTime: 0,
    late: 0,
    withinDeadline: 0,
    overdue: 0,
  }),
];

/** Xã Quốc Tuấn, year 2023 (15/12/2022 → 14/12/2023). */
export function communeReportFixture(): CommuneReport {
  const byField = structuredClone(FIXTURE_FIELDS);
  const total = sumRows(byField);
  const newlyReceived = total.received.online + total.received.directOrPostal;
  return {
    schema: "report.v1",
    unit: {
      communeCode: "10621",
      communeName: "Xã Quốc Tuấn",
      provinceCode: "30",
      provinceName: "Tỉnh Hải Dương",
      districtName: "Huyện Nam Sách",
    },
    period: { year: 2023, kind: "year", from: "2022-12-15", to: "2023-12-14" },
    generatedAt: "2023-12-14T18:00:00.000Z",
    dossiers: { byField, total },
    onlineReception: rateOf(total.received.online, newlyReceived),
    digitization: {
      received: newlyReceived, // 3.278
      componentsNone: 64,
      componentsPartial: 30,
      componentsFull: 3184,
      digitizedRate: rateOf(30 + 3184, newlyReceived),
      fullyDigitizedRate: rateOf(3184, newlyReceived),
      resolved: total.resolved.total, // 3.297
      resultNotDigitized: 13,
      resultDigitized: total.resolved.total - 13,
      resultDigitizedRate: rateOf(total.resolved.total - 13, total.resolved.total),
    },
    onlinePayment: { feeRequired: 2842, paidOnline: 1249, rate: rateOf(1249, 2842) },
    interlink: {
      total: 63,
      sameLevel: 1,
      crossLevel: 62,
      byBundle: [
        {
          bundle: "Đăng ký khai sinh - Đăng ký thường trú - Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
          count: 62,
        },
        {
          bundle: "Đăng ký khai tử - Xóa đăng ký thường trú - Hưởng chế độ tử tuất, hỗ trợ chi phí mai táng",
          count: 1,
        },
      ],
    },
    electronicCertification: 415,
    postal: { receivedByPost: 0, returnedByPost: 0 },
    satisfaction: {
      rated: 3299,
      verySatisfied: 3120,
      satisfied: 179,
      unsatisfied: 0,
      satisfiedRate: rateOf(3299, 3299),
    },
    feedback: {
      received: { total: 1, regulation: 1, behavior: 0, carriedOver: 0 },
      resolved: 1,
      inProgress: 0,
      published: 1,
    },
    lateDossiers: [
      {
        dossierCode: "000.21.30.H23-231012-0007",
        fieldCode: "HT",
        fieldName: "Hộ tịch",
        procedureCode: "1.001193",
        procedureName: "Thủ tục đăng ký khai sinh",
        receivedAt: "2023-10-12",
        dueAt: "2023-10-13",
        resolvedAt: "2023-10-16",
        apology: true,
      },
    ],
    overdueDossiers: [],
  };
}

/** The same commune with one Người có công dossier pending past its due date (exercises the overdue list). */
export function communeReportWithOverdue(): CommuneReport {
  const r = communeReportFixture();
  const ncc = r.dossiers.byField.find((f) => f.fieldCode === "NCC")!;
  ncc.pending = { total: 2, withinDeadline: 1, overdue: 1 };
  r.dossiers.total = sumRows(r.dossiers.byField);
  r.overdueDossiers = [
    {
      dossierCode: "000.21.30.H23-231120-0003",
      fieldCode: "NCC",
      fieldName: "Người có công",
      procedureCode: "1.010812",
      procedureName: "Thủ tục giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
      receivedAt: "2023-11-20",
      dueAt: "2023-12-04",
      apology: false,
    },
  ];
  return r;
}

/** Three communes of Huyện Nam Sách, Tỉnh Hải Dương, 2023. */
export function provinceReportFixture(): ProvinceReport {
  const quocTuan = sumRows(FIXTURE_FIELDS);
  const anLam = sumRows([
    fieldRow({
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      online: 512,
      directOrPostal: 40,
      carriedOver: 3,
      early: 530,
      onTime: 20,
      late: 2,
      withinDeadline: 2,
      overdue: 1,
    }),
    fieldRow({
      fieldCode: "CT",
      fieldName: "Chứng thực",
      online: 1204,
      directOrPostal: 310,
      carriedOver: 0,
      early: 1500,
      onTime: 14,
      late: 0,
      withinDeadline: 0,
      overdue: 0,
    }),
  ]);
  const namSach = sumRows([
    fieldRow({
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      online: 0,
      directOrPostal: 0,
      carriedOver: 0,
      early: 0,
      onTime: 0,
      late: 0,
      withinDeadline: 0,
      overdue: 0,
    }),
  ]);
  const withRate = (row: FormRow) => ({
    ...row,
    onlineReception: rateOf(row.received.online, row.received.online + row.received.directOrPostal),
  });
  const communes = [
    { communeCode: "10621", communeName: "Xã Quốc Tuấn", ...withRate(quocTuan) },
    { communeCode: "10603", communeName: "Xã An Lâm", ...withRate(anLam) },
    { communeCode: "10594", communeName: "Thị trấn Nam Sách", ...withRate(namSach) },
  ];
  return {
    schema: "province-report.v1",
    province: { provinceCode: "30", provinceName: "Tỉnh Hải Dương" },
    period: { year: 2023, kind: "year", from: "2022-12-15", to: "2023-12-14" },
    generatedAt: "2023-12-14T18:00:00.000Z",
    communes,
    total: withRate(sumRows(communes)),
  };
}
