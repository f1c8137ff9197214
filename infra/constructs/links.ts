import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledgeWildcard, arnFinding } from "../nag";
import { AppFunction, type FunctionDefaults } from "./node-function";

/** Reads only: the reader token (GetItem `T#…`, shared/adapters/dynamo/token-store.ts), the
 * aggregates and listings of the report (Query, shared/adapters/dynamo/aggregate-reader.ts), the
 * communes' commit markers for the figures cache (BatchGetItem, shared/adapters/dynamo/commit-markers.ts). */
export const LINKS_TABLE_ACTIONS = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"] as const;
/** Uploads a report built on demand (PutObject) and presigns GET URLs, which carry the role's
 * s3:GetObject (shared/adapters/s3/report-store.ts); listing the built formats is s3:ListBucket. */
export const LINKS_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject"] as const;

export interface LinksProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly bucket: IBucket;
  /** The key prefix of the reports (`reports/`): object and list permissions stop there. */
  readonly reportsPrefix: string;
}

/** `POST /v1/reports` (build now) and `GET /v1/reports` (presigned links): functions/links. */
export class Links extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: LinksProps) {
    super(scope, id);
    const { table, bucket, reportsPrefix } = props;
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/links/handler.ts",
      description: "Report links: builds reports (POST /v1/reports) and presigns their links (POST, GET)",
      // Building a report renders a workbook and a document (a province roll-up reads ~170
      // communes): one full vCPU (1769 MB), within the API's 29 s.
      memorySize: 1769,
      timeout: Duration.seconds(28),
      environment: { TABLE_NAME: table.tableName, BUCKET_NAME: bucket.bucketName },
    });
    this.handler.allow(LINKS_TABLE_ACTIONS, [table.tableArn]);
    this.handler.allow(LINKS_OBJECT_ACTIONS, [bucket.arnForObjects(`${reportsPrefix}*`)]);
    this.handler.allow(["s3:ListBucket"], [bucket.bucketArn], {
      StringLike: { "s3:prefix": [`${reportsPrefix}*`] },
    });
    acknowledgeWildcard(
      this.handler.role,
      arnFinding(bucket, `/${reportsPrefix}*`),
      "Report objects are keyed by year, province and commune and built on demand for any unit in a reader's scope: the grant is the reports prefix of the one reports bucket, not the whole bucket, and scope is checked by the function before any access.",
    );
  }
}
