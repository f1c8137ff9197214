import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { AppFunction, type FunctionDefaults } from "./node-function";

export interface MetaProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly bucket: IBucket;
}

/** `GET /health` (DescribeTable + HeadBucket) and `GET /v1/openapi.json` (functions/meta). */
export class Meta extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: MetaProps) {
    super(scope, id);
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/meta/handler.ts",
      description: "Health and OpenAPI: GET /health, GET /v1/openapi.json",
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: props.table.tableName, BUCKET_NAME: props.bucket.bucketName },
    });
    this.handler.allow(["dynamodb:DescribeTable"], [props.table.tableArn]);
    // HeadBucket is authorized as s3:ListBucket on the bucket.
    this.handler.allow(["s3:ListBucket"], [props.bucket.bucketArn]);
  }
}
