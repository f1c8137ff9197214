import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledgeWildcard, arnFinding } from "../nag";
import { AppFunction, type FunctionDefaults } from "./node-function";

/**
 * Editions and their revisions (GetItem, Query, BatchGetItem; conditional TransactWriteItems of
 * PutItem/UpdateItem: shared/adapters/dynamo/edition-store.ts), the aggregates of the live figures
 * (Query) and reader tokens (GetItem). No DeleteItem: nothing an edition wrote is ever removed.
 */
export const EDITIONS_TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
] as const;
/** Issued files (written once), previews, bundles and exports under `editions/`; read back for bundles and
 * presigned GETs. No DeleteObject. */
export const EDITIONS_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject"] as const;

export interface EditionsProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly bucket: IBucket;
  /** `editions/`: the function's object permissions stop there. */
  readonly editionsPrefix: string;
  /** Days each issued file is held in Object Lock governance mode; absent: no retention set. */
  readonly issuedRetentionDays?: number;
}

/** The report editions routes (docs/editions.md): functions/editions. */
export class Editions extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: EditionsProps) {
    super(scope, id);
    const { table, bucket, editionsPrefix } = props;
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/editions/handler.ts",
      description:
        "Report editions: drafts, revisions, preview, issue, corrections, the province panel and bundle",
      // An issue renders a workbook and a document; a bundle zips up to ~200 communes' files.
      memorySize: 1769,
      timeout: Duration.seconds(28),
      environment: {
        TABLE_NAME: table.tableName,
        BUCKET_NAME: bucket.bucketName,
        ...(props.issuedRetentionDays ? { ISSUED_RETENTION_DAYS: String(props.issuedRetentionDays) } : {}),
      },
    });
    this.handler.allow(EDITIONS_TABLE_ACTIONS, [table.tableArn]);
    const objectActions = props.issuedRetentionDays
      ? [...EDITIONS_OBJECT_ACTIONS, "s3:PutObjectRetention"]
      : EDITIONS_OBJECT_ACTIONS;
    this.handler.allow(objectActions, [bucket.arnForObjects(`${editionsPrefix}*`)]);
    acknowledgeWildcard(
      this.handler.role,
      arnFinding(bucket, `/${editionsPrefix}*`),
      "Edition files are keyed by unit, period, edition and a random attempt id, written for any unit in the caller's scope: the grant is the editions prefix of the one reports bucket, and scope and role are checked by the function before any access.",
    );
  }
}
