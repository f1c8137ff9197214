/**
 * The HTTP API, one line per route: the CDK app and the local stack both read this list, so a
 * route exists in the local stack exactly when it exists in AWS. `fn` names the Lambda (a folder
 * under functions/ whose handler.ts exports `handler`).
 */
export type FunctionName = "intake" | "meta" | "links" | "dvcqg" | "people" | "editions";

export interface RouteSpec {
  readonly routeKey: `${"GET" | "POST" | "PUT" | "DELETE"} /${string}`;
  readonly fn: FunctionName;
}

export const routes: readonly RouteSpec[] = [
  { routeKey: "POST /v1/sources/{sourceId}/events", fn: "intake" },
  { routeKey: "GET /health", fn: "meta" },
  { routeKey: "GET /v1/openapi.json", fn: "meta" },
  { routeKey: "POST /v1/reports", fn: "links" },
  { routeKey: "GET /v1/reports", fn: "links" },
  { routeKey: "POST /v1/sources/{sourceId}/dvcqg/auth", fn: "dvcqg" },
  { routeKey: "POST /v1/sources/{sourceId}/dvcqg", fn: "dvcqg" },
  { routeKey: "GET /v1/figures", fn: "links" },
  { routeKey: "GET /v1/units", fn: "links" },
  { routeKey: "GET /v1/auth/config", fn: "people" },
  { routeKey: "GET /v1/me", fn: "people" },
  { routeKey: "GET /v1/grants", fn: "people" },
  { routeKey: "PUT /v1/grants/{email}", fn: "people" },
  { routeKey: "DELETE /v1/grants/{email}", fn: "people" },
  { routeKey: "GET /v1/audit", fn: "people" },
  // Report editions (docs/editions.md)
  { routeKey: "POST /v1/editions/{unit}/{year}", fn: "editions" },
  { routeKey: "GET /v1/editions/{unit}/{year}", fn: "editions" },
  { routeKey: "PUT /v1/editions/{unit}/{year}", fn: "editions" },
  { routeKey: "GET /v1/editions/{unit}/{year}/revisions", fn: "editions" },
  { routeKey: "GET /v1/editions/{unit}/{year}/revisions/{revision}", fn: "editions" },
  { routeKey: "POST /v1/editions/{unit}/{year}/preview", fn: "editions" },
  { routeKey: "POST /v1/editions/{unit}/{year}/issue", fn: "editions" },
  { routeKey: "POST /v1/editions/{unit}/{year}/correction", fn: "editions" },
  { routeKey: "GET /v1/editions", fn: "editions" },
  { routeKey: "GET /v1/editions/bundle", fn: "editions" },
];
