/**
 * `GET /v1/units?year=Y[&q=…][&limit=N]` (docs/portal.md, the portal's unit picker): the provinces
 * and communes a reader token may read, named as the registry names them for that reporting year
 * (its last day, or today while the year is running, as the figures do). The same rules as every
 * other read (./access.ts), so the picker offers exactly the units whose figures the token gets.
 *
 * A token that reads a whole country would otherwise receive all its communes (≈ 1 MB at every
 * sign-in): the answer holds at most `limit` communes, with their `total` and whether the list is
 * `complete`; past that the page searches on the server (`q`, shared/units/search.ts).
 */
import { type CommuneUnit, communesOfProvince, listProvinces } from "../units/registry";
import { foldDiacritics, matchesFolded, searchWords } from "../units/search";
import { mayReadCommune, mayReadProvince } from "./access";
import { registryDateOf } from "./build-model";
import type { TokenScope } from "./ports";
import { resolveRequest } from "./service";
import { DEFAULT_UNITS_LIMIT, type UnitsInScope } from "./units-schema";

export interface UnitsRequest {
  year: number;
  q?: string;
  limit?: number;
}

/** Each registry unit's searchable text (name, district, province), folded once per container. */
const searchText = new WeakMap<CommuneUnit, string>();
function searchTextOf(unit: CommuneUnit): string {
  let text = searchText.get(unit);
  if (text === undefined) {
    text = foldDiacritics(`${unit.name} ${unit.districtName ?? ""} ${unit.provinceName}`);
    searchText.set(unit, text);
  }
  return text;
}

/** The units a token's scope covers in the registry valid for the reporting year at `now`. */
export function unitsInScope(scope: TokenScope, request: UnitsRequest, now: Date): UnitsInScope {
  const { year } = request;
  const onDate = registryDateOf(resolveRequest({ period: { kind: "year", year } }, now));
  const limit = request.limit ?? DEFAULT_UNITS_LIMIT;
  const query = request.q?.trim() ?? "";
  const words = searchWords(query);
  const provinces = listProvinces(onDate).filter(
    (p) =>
      mayReadProvince(scope, p.code) && (p.code === query || matchesFolded(foldDiacritics(p.name), words)),
  );
  const communes: UnitsInScope["communes"] = [];
  let total = 0;
  for (const province of listProvinces(onDate)) {
    for (const c of communesOfProvince(province.code, onDate)) {
      if (!mayReadCommune(scope, c.code, c.provinceCode)) continue;
      if (words.length > 0 && c.code !== query && !matchesFolded(searchTextOf(c), words)) continue;
      total++;
      if (communes.length >= limit) continue;
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
    provinces: provinces.map(({ code, name }) => ({ code, name })),
    communes,
    total,
    complete: communes.length === total,
  };
}
