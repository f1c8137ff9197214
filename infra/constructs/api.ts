import { Duration, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type FunctionName, type RouteSpec, routes } from "../../shared/api/routes";

export interface ApiProps {
  /** The Lambda function behind each `fn` of shared/api/routes.ts. */
  readonly functions: Record<FunctionName, IFunction>;
  /** Stage-wide steady rate and burst. */
  readonly throttle: Required<ThrottleSettings>;
  /** Tighter limits for some routes, by route key (e.g. the intake, the on-demand report build). */
  readonly routeThrottles?: Partial<Record<RouteSpec["routeKey"], Required<ThrottleSettings>>>;
  readonly accessLogRetention: RetentionDays;
}

/** One access log line (JSON) per request; no headers, bodies or query strings (tokens, signatures),
 * and the route's template rather than the path (`/v1/grants/{email}`: e-mails are never logged). */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  errorMessage: "$context.error.message",
};

/** `"GET /v1/reports"` → method and path. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const [method, path] = routeKey.split(" ");
  if (!method || !path || !(method in HttpMethod)) throw new Error(`invalid route key "${routeKey}"`);
  return { method: HttpMethod[method as keyof typeof HttpMethod], path };
}

/**
 * The HTTP API, built from `shared/api/routes.ts` (the list the local stack serves too): one Lambda
 * proxy integration per function, the `$default` stage auto-deployed with stage-wide and per-route
 * throttling and JSON access logs to a log group.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, "HttpApi", {
      description: "One-stop reports: webhook intake and report links",
      createDefaultStage: false,
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (fn: FunctionName) => {
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn}-integration`, props.functions[fn], {
          timeout: Duration.seconds(29),
        });
        integrations.set(fn, integration);
      }
      return integration;
    };
    const created = routes.map(({ routeKey, fn }) => {
      const { method, path } = parseRouteKey(routeKey);
      return new HttpRoute(this, `Route${routeKey.replace(/[^A-Za-z0-9]+/g, "-")}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, method),
        integration: integrationOf(fn),
      });
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", { retention: props.accessLogRetention });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const routeSettings = Object.entries(props.routeThrottles ?? {}).map(([routeKey, limits]) => {
      if (!routes.some((r) => r.routeKey === routeKey))
        throw new Error(`throttle for unknown route "${routeKey}"`);
      return [routeKey, { ThrottlingRateLimit: limits!.rateLimit, ThrottlingBurstLimit: limits!.burstLimit }];
    });
    if (routeSettings.length > 0) {
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride(
        "RouteSettings",
        Object.fromEntries(routeSettings),
      );
    }
    // Route settings name routes by key: the stage must be created after them.
    for (const route of created) this.stage.node.addDependency(route);

    for (const route of created) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "Authorization is in the functions, by design of the contract: the intake verifies each request's Standard Webhooks HMAC signature against the source's secrets, the report routes verify a bearer token against the token store (hashes in DynamoDB), and GET /health and GET /v1/openapi.json are public by contract.",
      });
    }
  }
}
