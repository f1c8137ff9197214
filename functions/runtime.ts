import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { tracer } from "../shared/adapters/tracer";
import { answerForError, type ErrorAnswer } from "../shared/api/errors";
import type { ContractError } from "../shared/api/http";

/**
 * What every Lambda entry shares, and the one way each is wired (docs/reliability.md):
 *
 *   export const handler = httpHandler(() => createXHandler({ ...deps built from the env }));
 *
 * - `build` runs on the first invocation of a container, inside the middy chain, so a failure to
 *   build (a missing variable, a broken configuration) is answered like any other error, and is
 *   tried again on the next invocation instead of leaving a container that can never answer;
 * - the chain: captureLambdaHandler (X-Ray), injectLambdaContext (logger), logMetrics (only where
 *   the function has metrics), then the one error boundary.
 */

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "onestop" });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "OneStop" });
export { tracer };

/** A logger of its own (tests that silence or inspect one handler's logs). */
export function createLogger(): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "onestop" });
}

/**
 * The report service's `onReread` (shared/reports/service.ts `readConsistently`) in AWS: a read saw
 * an intake commit half-way and the report is read again. Counted as `ReportReadAgain` and logged
 * with the unit, so operators see how often it happens (docs/operations.md#metrics). The metric is
 * flushed at once (`singleMetric`): the event is rare, and the functions that build reports do not
 * flush metrics on every invocation.
 */
export function reportRereads(
  sink: Pick<Metrics, "singleMetric"> = metrics,
  log: Pick<Logger, "info"> = logger,
): (unit: string, attempt: number) => void {
  return (unit, attempt) => {
    sink.singleMetric().addMetric("ReportReadAgain", MetricUnit.Count, 1);
    log.info("report read again: a read saw an intake commit half-way", { unit, attempt });
  };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** `build` once per container, on first use; a build that failed is tried again on the next call. */
export function once<T>(build: () => T | Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

type HttpEvent = APIGatewayProxyEventV2;
type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * The error boundary of an HTTP function: answers any error in the contract's shape
 * (shared/api/errors.ts), logs it once with its stack (never sent to the caller), and counts the
 * 5xx when the function has metrics.
 */
export interface HttpHandlerOptions {
  metrics?: Metrics;
  /** Rewrites the boundary's answer for a route family with its own answer shape (the DVCQG
   * routes answer in the national portal's `error_code` form); status and headers are kept. */
  reshape?: (answer: ErrorAnswer) => HttpResult;
}

export function httpErrorBoundary(options: HttpHandlerOptions = {}): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: (request) => {
      const requestId = request.context?.awsRequestId ?? "unknown";
      const answer = answerForError(request.error, requestId);
      const { kind } = answer;
      const response = options.reshape ? options.reshape(answer) : answer.response;
      if (kind === "dependency") {
        logger.error("dependency unavailable: answered 503", { error: request.error as Error });
        options.metrics?.addMetric("ServiceUnavailable", MetricUnit.Count, 1);
      } else if (kind === "internal") {
        logger.error("unexpected error: answered 500", { error: request.error as Error });
        options.metrics?.addMetric("InternalError", MetricUnit.Count, 1);
      } else {
        // Status and code only: a refusal's message and `extra` can carry input (names, e-mails, a
        // whole stored edition), and the logger would copy every property of the error.
        const { code } = request.error as ContractError;
        logger.info("refused", { statusCode: response.statusCode, code });
      }
      request.response = response;
    },
  };
}

/** The boundary of a function that is not HTTP (SQS, scheduler): logs once, then the error goes on to
 * Lambda, whose retries and dead-letter queue take over. */
export function eventErrorBoundary<E, R>(): MiddlewareObj<E, R> {
  return {
    onError: (request) => {
      logger.error("invocation failed", { error: request.error as Error });
    },
  };
}

/** An API Gateway (HTTP API, payload 2.0) function: see the top of this file. */
export function httpHandler(
  build: () => HttpFunction | Promise<HttpFunction>,
  options: HttpHandlerOptions = {},
) {
  const instance = once(build);
  const chain = middy<HttpEvent, HttpResult, Error, Context>()
    // Responses hold presigned links: not trace metadata.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
  if (options.metrics) chain.use(logMetrics(options.metrics));
  return chain
    .use(httpErrorBoundary(options))
    .handler(async (event, context) => (await instance())(event, context));
}

/** A function invoked by an AWS service with its own retries (SQS, EventBridge Scheduler). */
export function eventHandler<E, R>(
  build: () =>
    | ((event: E, context: Context) => Promise<R>)
    | Promise<(event: E, context: Context) => Promise<R>>,
) {
  const instance = once(build);
  return middy<E, R, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(eventErrorBoundary<E, R>())
    .handler(async (event, context) => (await instance())(event, context));
}
