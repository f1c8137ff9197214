import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Bucket, type LifecycleRule } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { PRIVATE_BUCKET } from "./private-bucket";

/** How long a superseded report version stays recoverable after a newer build replaced it. */
export const SUPERSEDED_REPORT_RETENTION = Duration.days(30);
/** Superseded versions kept whatever their age (the last few builds of each report). */
export const SUPERSEDED_VERSIONS_KEPT = 3;

export interface ReportsBucketProps {
  /** Where a rebuilt report (the nightly year-to-date ones above all) leaves its old versions:
   * the lifecycle rule is scoped to this prefix. Default: the whole bucket. */
  readonly supersededPrefix?: string;
  /** Previews, bundles and exports of report editions: expired after a day. */
  readonly temporaryPrefix?: string;
  /** Object Lock (governance mode) for issued files: S3 enables it only when a bucket is created,
   * so set context `onestop:issuedObjectLock=true` at the first deployment (docs/operations.md). */
  readonly objectLock?: boolean;
}

/**
 * The reports bucket: private (all public access blocked, ACLs disabled), HTTPS only, encrypted
 * at rest (SSE-S3), versioned so an overwritten report can be recovered, with a lifecycle rule
 * that expires superseded versions (every nightly year-to-date build replaces the previous one),
 * and server access logs to a log bucket.
 */
export class ReportsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly objectLock: boolean;

  constructor(scope: Construct, id: string, props: ReportsBucketProps = {}) {
    super(scope, id);
    // Log delivery is granted by a bucket policy, not the legacy LogDeliveryWrite ACL (ACLs stay
    // disabled), whatever cdk.json says: the feature flag is set here, for this construct's children.
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    this.accessLogs = new Bucket(this, "AccessLogs", {
      // SSE-S3 (PRIVATE_BUCKET): server access logging delivers only to such buckets.
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365) }],
      // No access logs of its own (cdk-nag's S1 accepts a bucket that is a log destination).
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const superseded: LifecycleRule = {
      id: "expire-superseded-reports",
      ...(props.supersededPrefix ? { prefix: props.supersededPrefix } : {}),
      noncurrentVersionExpiration: SUPERSEDED_REPORT_RETENTION,
      noncurrentVersionsToRetain: SUPERSEDED_VERSIONS_KEPT,
      expiredObjectDeleteMarker: true,
    };
    this.objectLock = props.objectLock ?? false;
    const temporary: LifecycleRule[] = props.temporaryPrefix
      ? [{ id: "expire-edition-previews", prefix: props.temporaryPrefix, expiration: Duration.days(1) }]
      : [];
    this.bucket = new Bucket(this, "Bucket", {
      // Object Lock without a default retention: the editions function sets a governance-mode
      // retention on each issued file only, so reports and previews stay freely replaceable.
      ...(this.objectLock ? { objectLockEnabled: true } : {}),
      ...PRIVATE_BUCKET,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "reports/",
      lifecycleRules: [
        superseded,
        ...temporary,
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
