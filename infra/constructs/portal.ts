import { existsSync } from "node:fs";
import path from "node:path";
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { ICertificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Bucket, type IBucket, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import {
  CUSTOM_SECURITY_HEADERS,
  contentSecurityPolicy,
  FRAME_OPTIONS,
  HSTS,
  IMMUTABLE_ASSETS_PREFIX,
  IMMUTABLE_CACHE_CONTROL,
  PAGE_CACHE_CONTROL,
  REFERRER_POLICY,
} from "../../shared/api/portal-headers";
import { routes } from "../../shared/api/routes";
import { acknowledgeWildcard, arnFinding } from "../nag";
import { PRIVATE_BUCKET } from "./private-bucket";

export interface PortalProps {
  /** The HTTP API served on the same origin, under its own paths (`/v1/*`, `/health`). */
  readonly httpApi: IHttpApi;
  /** The built page (web/dist): index.html and its hashed assets. */
  readonly webAssets: string;
  /** Where the buckets' server access logs go (the stack's access log bucket). */
  readonly serverAccessLogs: IBucket;
  /** A custom domain with its ACM certificate (us-east-1); without one, the *.cloudfront.net name. */
  readonly domain?: { readonly names: string[]; readonly certificate: ICertificate };
  /** The identity provider's origins the page calls (discovery, token endpoint): its CSP's
   * connect-src beside 'self'. None: access codes only. */
  readonly identityProviderOrigins?: readonly string[];
}

/** The API's paths on the distribution: every route's first segment (`/v1/*`, `/health`). */
export function apiPathPatterns(): string[] {
  const patterns = routes.map(({ routeKey }) => {
    const [, routePath = ""] = routeKey.split(" ");
    const [first = "", ...rest] = routePath.split("/").slice(1);
    return rest.length === 0 ? `/${first}` : `/${first}/*`;
  });
  return [...new Set(patterns)].sort();
}

const FRAME_OPTION_OF: Record<string, HeadersFrameOption> = {
  DENY: HeadersFrameOption.DENY,
  SAMEORIGIN: HeadersFrameOption.SAMEORIGIN,
};
const REFERRER_POLICY_OF: Record<string, HeadersReferrerPolicy> = Object.fromEntries(
  Object.values(HeadersReferrerPolicy).map((value) => [value, value]),
);

/**
 * The officials' portal on one origin: a CloudFront distribution whose default behaviour serves
 * the built page from a private bucket (origin access control: only this distribution may read
 * it), and whose API behaviours pass every request to the HTTP API uncached, with all viewer
 * headers but Host (the bearer token included). The same security headers (CSP without inline
 * scripts, HSTS, no framing) go with every answer: shared/api/portal-headers.ts, which the local
 * stack sends too. No custom error pages: an API 401/403/404 must reach the page as it is.
 */
export class Portal extends Construct {
  readonly assets: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    if (!existsSync(path.join(props.webAssets, "index.html"))) {
      throw new Error(
        `${props.webAssets}/index.html is missing: build the portal first (npm run web:build; npm run synth does it)`,
      );
    }
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    this.assets = new Bucket(this, "Assets", {
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: "portal-assets/",
      // Rebuilt from the sources on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // CloudFront's standard logs are written with ACLs: this bucket alone enables them (object writer).
    this.logs = new Bucket(this, "DistributionLogs", {
      ...PRIVATE_BUCKET,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: "portal-distribution-logs/",
      lifecycleRules: [{ id: "expire-distribution-logs", expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "One-stop portal: CSP without inline scripts, HSTS, no framing, no sniffing, no referrer",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.identityProviderOrigins),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds),
          includeSubdomains: HSTS.includeSubdomains,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTION_OF[FRAME_OPTIONS]!, override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY_OF[REFERRER_POLICY]!, override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(CUSTOM_SECURITY_HEADERS).map(([header, value]) => ({
          header,
          value,
          override: true,
        })),
      },
    });

    const stack = Stack.of(this);
    const apiDomain = `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every viewer header (Authorization, the webhook signature headers) but Host, which must
      // name the API's own domain for API Gateway to route the request.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
      compress: true,
    };

    this.distribution = new Distribution(this, "Distribution", {
      comment: "One-stop reports: the officials' portal and the API on one origin",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.assets),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehavior])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America, Europe and Asia (Vietnam's nearest edges) without the costliest regions.
      priceClass: PriceClass.PRICE_CLASS_200,
      // Viewer TLS is the certificate's: the default *.cloudfront.net one has a fixed policy.
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: "cloudfront/",
    });

    // Hashed assets first (kept across deploys, so a page loaded before a deploy still finds its
    // files), then index.html and the other unhashed files, which name them; then an invalidation.
    // One asset, two syncs (filters of `aws s3 sync`, where `*` spans folders and the last filter wins).
    const built = Source.asset(props.webAssets);
    const assets = new BucketDeployment(this, "DeployAssets", {
      sources: [built],
      destinationBucket: this.assets,
      exclude: ["*"],
      include: [`${IMMUTABLE_ASSETS_PREFIX}*`],
      cacheControl: [CacheControl.fromString(IMMUTABLE_CACHE_CONTROL)],
      prune: false,
    });
    const page = new BucketDeployment(this, "DeployPage", {
      sources: [built],
      destinationBucket: this.assets,
      // Excluded files are neither uploaded nor pruned: the hashed assets stay.
      exclude: [`${IMMUTABLE_ASSETS_PREFIX}*`],
      cacheControl: [CacheControl.fromString(PAGE_CACHE_CONTROL)],
      distribution: this.distribution,
      distributionPaths: ["/*"],
    });
    page.node.addDependency(assets);

    this.acknowledgeDeploymentHandler(page);

    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: "AwsSolutions-CFR4",
        reason:
          "Without a custom domain the distribution answers on its *.cloudfront.net name with CloudFront's default certificate, whose minimum protocol CloudFront fixes; with a domain (context onestop:portalDomain and onestop:portalCertificateArn) TLSv1.2_2021 applies.",
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR1",
      reason:
        "No geo restriction: officials read their unit's figures from wherever they are (travel, mission abroad); every figure needs a reader token, checked by the API.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR2",
      reason:
        "No WAF web ACL: the page is static and public, the API behind it is throttled per stage and per route and authenticates every data request (bearer tokens, webhook signatures).",
    });
  }

  /** The findings on CDK's BucketDeployment handler (one per stack, shared by both deployments). */
  private acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    const handler = role.node.scope;
    if (!handler) return;
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason:
        "CDK's BucketDeployment handler (a deploy-time custom resource) logs with the AWS managed basic execution policy; it runs only during deployments.",
    });
    const wildcards: [string, string][] = [
      ["Action::s3:GetBucket*", "reads the bootstrap asset bucket's location to copy the zipped page"],
      ["Action::s3:GetObject*", "reads the zipped page from the bootstrap asset bucket"],
      ["Action::s3:List*", "lists the portal bucket to sync (and prune) it"],
      ["Action::s3:Abort*", "aborts its own multipart uploads to the portal bucket"],
      ["Action::s3:DeleteObject*", "prunes files of an earlier build from the portal bucket"],
      [
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        "the zipped page is an asset of the CDK bootstrap bucket, whose keys are content hashes",
      ],
      [arnFinding(this.assets, "/*"), "syncs every file of the portal bucket, which holds the page only"],
      [
        "Resource::*",
        "creates and reads the CloudFront invalidation after a deploy (granted by CDK on any distribution)",
      ],
    ];
    for (const [finding, why] of wildcards) {
      acknowledgeWildcard(
        role,
        finding,
        `CDK's BucketDeployment handler ${why}; it runs only during deployments.`,
      );
    }
    Validations.of(handler).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "The runtime of CDK's BucketDeployment handler (Python, with the AWS CLI layer) is chosen by aws-cdk-lib and moves with it; it runs only during deployments.",
    });
  }
}
