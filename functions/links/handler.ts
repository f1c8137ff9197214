import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoCommitMarkers } from "../../shared/adapters/dynamo/commit-markers";
import { authenticatorFromEnv } from "../../shared/adapters/people-from-env";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { annotate } from "../../shared/adapters/tracer";
import { gzipped } from "../../shared/api/compress";
import { errorResponse, headerValue, jsonResponse, rawBody } from "../../shared/api/http";
import type { Authenticator } from "../../shared/people/caller";
import { mayReadCommune, mayReadProvince } from "../../shared/reports/access";
import { ReportIdentityError, ReportPeriodError } from "../../shared/reports/build-model";
import {
  type CommuneFigures,
  communeFigures,
  communesRead,
  type ProvinceFigures,
  provinceFigures,
} from "../../shared/reports/figures";
import { FiguresCache } from "../../shared/reports/figures-cache";
import type { ReportTarget } from "../../shared/reports/ports";
import { publishCommuneReport, publishProvinceReport } from "../../shared/reports/publish";
import {
  parseFiguresQuery,
  parseReportBody,
  parseReportQuery,
  type ReportRequest,
} from "../../shared/reports/request";
import {
  communeTarget,
  provinceTarget,
  type ReportDeps,
  reportLinks,
  resolveRequest,
} from "../../shared/reports/service";
import { httpHandler, logger, reportRereads, requiredEnv } from "../runtime";
import { unitsResponse } from "./units";

export type LinksHandlerDeps = {
  reports: ReportDeps;
  logger: Logger;
  now?: () => Date;
  /** Live figures computed lately, per unit and period, while the intake has not touched them (absent: every request computes). */
  figuresCache?: FiguresCache;
  /** Reader tokens and people (shared/people/authenticate.ts). */
  authenticator: Authenticator;
};

const NO_STORE = { "cache-control": "no-store" };
const CHALLENGE = { "www-authenticate": 'Bearer realm="reports"' };

/**
 * `POST /v1/reports` (build now, then links) and `GET /v1/reports` (links to what was built),
 * docs/api.md#reports, `GET /v1/figures` (the report computed now with its monthly series, nothing
 * stored, docs/portal.md) and `GET /v1/units` (the units the token may read). The bearer is an
 * access code (reader token) or a person's access token, the grant being its scope (docs/people.md).
 * Order of checks, alike for all: the bearer token (401; 403 `no_grant` or a disabled grant), the
 * input (400), the unit and the scope (404 for a unit the registry does not know for the period,
 * 403 outside the scope), then the work.
 */
export function createLinksHandler(deps: LinksHandlerDeps) {
  const { logger, authenticator } = deps;
  const clock = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const now = clock();
    const method = event.requestContext?.http?.method ?? "GET";
    const figures = event.routeKey === "GET /v1/figures";

    const auth = await authenticator.authenticate(headerValue(event.headers, "authorization"), now);
    if (!auth.ok) {
      return errorResponse(auth.status, auth.code, auth.message, {}, auth.status === 401 ? CHALLENGE : {});
    }
    const { caller } = auth;
    if (caller.kind === "person") logger.appendKeys({ sub: caller.person.subject });
    if (event.routeKey === "GET /v1/units")
      return unitsResponse(
        caller.scope,
        event.queryStringParameters,
        now,
        headerValue(event.headers, "accept-encoding"),
      );

    let parsed: ReturnType<typeof parseReportBody>;
    if (method === "POST") {
      let body: unknown;
      try {
        const text = rawBody(event);
        body = text === "" ? {} : JSON.parse(text);
      } catch {
        return errorResponse(400, "invalid_body", "the body is not valid JSON");
      }
      parsed = parseReportBody(body);
    } else if (figures) {
      parsed = parseFiguresQuery(event.queryStringParameters);
    } else {
      parsed = parseReportQuery(event.queryStringParameters);
    }
    if (!parsed.ok) return errorResponse(400, "invalid_body", parsed.message, { path: parsed.path });
    const { request } = parsed;

    let target: ReportTarget | undefined;
    try {
      target = resolveTarget(request, now);
    } catch (error) {
      if (error instanceof ReportPeriodError) return errorResponse(400, "invalid_body", error.message);
      throw error;
    }
    const unitLabel =
      request.unit.kind === "commune"
        ? `commune ${request.unit.communeCode}`
        : `province ${request.unit.provinceCode}`;
    if (!target) {
      return errorResponse(
        404,
        figures ? "unit_not_found" : "report_not_found",
        `no ${unitLabel} in the unit registry for ${request.period.year}`,
      );
    }
    const allowed =
      target.kind === "commune"
        ? mayReadCommune(caller.scope, target.communeCode, target.provinceCode)
        : mayReadProvince(caller.scope, target.provinceCode);
    if (!allowed) return errorResponse(403, "forbidden", `${unitLabel} is outside this token's scope`);
    logger.appendKeys({ unit: unitLabel, period: request.period });
    annotate(
      target.kind === "commune"
        ? { commune: target.communeCode, province: target.provinceCode }
        : { province: target.provinceCode },
    );
    // One clock for the whole request: the period's cut-off and `generatedAt` agree with the checks above.
    const reports = { ...deps.reports, now: () => now };

    if (figures) {
      try {
        const started = Date.now();
        const periodRequest = { period: request.period };
        const compute = (): Promise<CommuneFigures | ProvinceFigures> =>
          target.kind === "commune"
            ? communeFigures(reports, target.communeCode, periodRequest)
            : provinceFigures(reports, target.provinceCode, periodRequest);
        // The resolved period (its cut-off moves with today while it runs) is part of the key.
        const resolved = resolveRequest(periodRequest, now);
        const key = JSON.stringify([target, resolved]);
        const body = deps.figuresCache
          ? await deps.figuresCache.get(key, communesRead(target, resolved), compute)
          : await compute();
        logger.info("figures answered", { ms: Date.now() - started });
        return gzipped(jsonResponse(200, body, NO_STORE), headerValue(event.headers, "accept-encoding"));
      } catch (error) {
        if (error instanceof ReportIdentityError)
          return identityFailure(logger, "figures failed the report's identity checks: not served", error);
        throw error;
      }
    }

    if (method === "POST") {
      try {
        const started = Date.now();
        const periodRequest = { period: request.period };
        const published =
          target.kind === "commune"
            ? await publishCommuneReport(reports, target.communeCode, periodRequest)
            : await publishProvinceReport(reports, target.provinceCode, periodRequest);
        logger.info("report built", {
          ms: Date.now() - started,
          objects: published.stored.map((s) => s.key),
        });
      } catch (error) {
        if (error instanceof ReportPeriodError) return errorResponse(400, "invalid_body", error.message);
        if (error instanceof ReportIdentityError)
          return identityFailure(logger, "report failed its identity checks: not published", error);
        throw error;
      }
    }

    const links = await reportLinks({ store: deps.reports.store, now: () => now }, target, request.expiresIn);
    if (!links) {
      return errorResponse(
        404,
        "report_not_found",
        `no report was built for ${unitLabel}, ${request.period.kind} ${request.period.year}`,
      );
    }
    return jsonResponse(200, { reports: links }, NO_STORE);
  };
}

/** A report that breaks an identity is never served: logged with its violations, answered 500 with them. */
function identityFailure(
  logger: Logger,
  message: string,
  error: ReportIdentityError,
): APIGatewayProxyStructuredResultV2 {
  logger.error(message, { violations: error.violations });
  return errorResponse(500, "internal_error", error.message, { violations: error.violations });
}

function resolveTarget(request: ReportRequest, now: Date): ReportTarget | undefined {
  const periodRequest = { period: request.period };
  return request.unit.kind === "commune"
    ? communeTarget(request.unit.communeCode, periodRequest, now)
    : provinceTarget(request.unit.provinceCode, periodRequest, now);
}

/**
 * The safety bound on how long a container serves live figures the intake has not touched since
 * (FIGURES_CACHE_SECONDS; 0: no cache).
 */
const figuresCacheSeconds = Number(process.env.FIGURES_CACHE_SECONDS ?? 600);

/** Built on the first request of a container (functions/runtime.ts). */
export const handler = httpHandler(() => {
  const dynamo = dynamoClientFromEnv();
  const tableName = requiredEnv("TABLE_NAME");
  return createLinksHandler({
    reports: {
      aggregates: new DynamoAggregateReader(dynamo, tableName),
      store: new S3ReportStore(s3ClientFromEnv(), requiredEnv("BUCKET_NAME")),
      onReread: reportRereads(),
    },
    authenticator: authenticatorFromEnv(dynamo, tableName),
    logger,
    ...(figuresCacheSeconds > 0 && {
      figuresCache: new FiguresCache(new DynamoCommitMarkers(dynamo, tableName), figuresCacheSeconds * 1000),
    }),
  });
});
