/**
 * Request headers as every layer reads them: the API's handlers (shared/api/http.ts re-exports
 * these) and the intake's signature check (shared/intake/signature.ts), which must not reach up
 * into the API layer for them.
 */

export type HttpHeaders = Record<string, string | undefined>;

/**
 * A request header by name, case-insensitively (API Gateway lower-cases header names, other
 * callers may not). Blank values count as absent.
 */
export function headerValue(headers: HttpHeaders | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact === "" ? undefined : exact;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== "") return value;
  }
  return undefined;
}
