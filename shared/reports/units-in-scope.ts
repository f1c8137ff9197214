/**
 * `GET /v1/units?year=Y` (docs/portal.md, the portal's unit picker): the provinces and communes
 * a reader token may read, named as the registry names them for that reporting year (its last day,
 * or today while the year is running, as the figures do). The same rules as every other read
 * (./access.ts), so the picker offers exactly the units whose figures the token gets.
 */
import { communesOfProvince, listProvinces } from "../units/registry";
import { mayReadCommune, mayReadProvince } from "./access";
import { registryDateOf } from "./build-model";
import type { TokenScope } from "./ports";
import { resolveRequest } from "./service";
import type { UnitsInScope } from "./units-schema";

/** The units a token's scope covers in the registry valid for the reporting year `year` at `now`. */
export function unitsInScope(scope: TokenScope, year: number, now: Date): UnitsInScope {
  const onDate = registryDateOf(resolveRequest({ period: { kind: "year", year } }, now));
  const provinces = listProvinces(onDate);
  const communes: UnitsInScope["communes"] = [];
  for (const province of provinces) {
    for (const c of communesOfProvince(province.code, onDate)) {
      if (!mayReadCommune(scope, c.code, c.provinceCode)) continue;
      communes.push({
        code: c.code,
        name: c.name,
        provinceCode: c.provinceCode,
        ...(c.districtName ? { districtName: c.districtName } : {}),
      });
    }
  }
  return {
    year,
    provinces: provinces
      .filter((p) => mayReadProvince(scope, p.code))
      .map(({ code, name }) => ({ code, name })),
    communes,
  };
}
