import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { defaultRetryPolicy } from "../../shared/adapters/dynamo/retry";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { writeStatsObserver } from "../../shared/adapters/dynamo/write-stats";
import { annotate } from "../../shared/adapters/tracer";
import { errorResponse, headerValue, jsonResponse, rawBody, rawBodyByteLength } from "../../shared/api/http";
import { batchEnvelopeSchema, communeCodeSchema, MAX_BODY_BYTES } from "../../shared/domain/events";
import { ingestBatch, statusCodeFor } from "../../shared/intake/intake";
import type { SubjectStore, UnitLookup } from "../../shared/intake/ports";
import { verifySignature } from "../../shared/intake/signature";
import { loadSources, type SourceDirectory } from "../../shared/intake/sources";
import { communeExists, provinceOf } from "../../shared/units/registry";
import { httpHandler, logger, metrics, requiredEnv } from "../runtime";

export interface IntakeHandlerDeps {
  /** CloudWatch metrics (EMF) of the events' outcomes; absent in tests that do not look at them. */
  metrics?: Metrics;
  store: SubjectStore;
  sources: SourceDirectory;
  units: UnitLookup;
  logger: Logger;
  now?: () => Date;
}

/**
 * POST /v1/sources/{sourceId}/events (docs/api.md#intake). The order of checks is the order of trust:
 * who is sending, how much, is it signed, is it JSON, then each event on its own.
 */
export function createIntakeHandler(deps: IntakeHandlerDeps) {
  const { logger } = deps;
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const sourceId = event.pathParameters?.sourceId ?? "";
    deps.metrics?.addMetric("Requests", MetricUnit.Count, 1);
    logger.appendKeys({ sourceId });
    const source = await deps.sources.get(sourceId);
    if (!source) return errorResponse(401, "unknown_source", `no source named "${sourceId}"`);

    if (rawBodyByteLength(event) > MAX_BODY_BYTES) {
      return errorResponse(413, "payload_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
    }
    const body = rawBody(event);
    const signature = verifySignature({
      secrets: source.secrets,
      headers: event.headers,
      rawBody: body,
      now: deps.now?.(),
    });
    if (!signature.ok) {
      logger.warn("signature refused", { code: signature.code });
      return errorResponse(401, signature.code, signature.message);
    }
    const contentType = headerValue(event.headers, "content-type") ?? "";
    if (!/^application\/json\b/i.test(contentType)) {
      return errorResponse(400, "invalid_content_type", "Content-Type must be application/json");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return errorResponse(400, "invalid_body", "the body is not valid JSON");
    }
    const envelope = batchEnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      return errorResponse(
        400,
        "invalid_body",
        `expected {"events": [1 to 500 events]}: ${issue?.message ?? ""}`,
        {
          path: issue?.path.map(String).join(".") ?? "",
        },
      );
    }

    annotate({ source: sourceId, commune: singleCommune(envelope.data.events) });
    // Dependency failures (StoreUnavailableError when DynamoDB keeps refusing) go to the error boundary:
    // 503 service_unavailable with Retry-After, and nothing of the failed subjects committed.
    const results = await ingestBatch(source, envelope.data.events, {
      store: deps.store,
      units: deps.units,
    });
    const counts = { applied: 0, duplicate: 0, rejected: 0 };
    for (const result of results) counts[result.status] += 1;
    logger.info("batch ingested", { events: results.length, ...counts });
    deps.metrics?.addMetric("EventsApplied", MetricUnit.Count, counts.applied);
    deps.metrics?.addMetric("EventsDuplicate", MetricUnit.Count, counts.duplicate);
    deps.metrics?.addMetric("EventsRejected", MetricUnit.Count, counts.rejected);
    return jsonResponse(statusCodeFor(results), { results });
  };
}

/** The batch's commune when every event that names one names the same (a trace annotation). */
function singleCommune(events: readonly unknown[]): string | undefined {
  const communes = new Set<string>();
  for (const event of events) {
    // Not yet validated: any JSON value, null included.
    const commune = (event as { communeCode?: unknown } | null)?.communeCode;
    if (communeCodeSchema.safeParse(commune).success) communes.add(commune as string);
  }
  return communes.size === 1 ? [...communes][0] : undefined;
}

/** Built on the first request of a container (functions/runtime.ts); the local stack imports the same module. */
export const handler = httpHandler(
  () =>
    createIntakeHandler({
      store: new DynamoSubjectStore(
        dynamoClientFromEnv(),
        requiredEnv("TABLE_NAME"),
        defaultRetryPolicy,
        writeStatsObserver,
      ),
      sources: loadSources(process.env),
      units: { communeExists, provinceOf },
      logger,
      metrics,
    }),
  { metrics },
);
