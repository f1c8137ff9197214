/**
 * Who may read which report: a reader token's scope lists communes and/or provinces (`"*"` for all).
 * A province in the scope covers every commune the registry places in it for the report's period.
 * A province roll-up needs the province itself in the scope: commune tokens never see roll-ups.
 */
import type { TokenScope } from "./ports";

const covers = (list: string[] | undefined, code: string | undefined) =>
  list !== undefined && (list.includes("*") || (code !== undefined && list.includes(code)));

export function mayReadCommune(
  scope: TokenScope,
  communeCode: string,
  provinceCode: string | undefined,
): boolean {
  return (
    covers(scope.provinces, "*") ||
    covers(scope.communes, communeCode) ||
    covers(scope.provinces, provinceCode)
  );
}

export function mayReadProvince(scope: TokenScope, provinceCode: string): boolean {
  return covers(scope.provinces, provinceCode);
}
