import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { AppFunction, type FunctionDefaults } from "./node-function";

/** DynamoDB actions of the intake (shared/adapters/dynamo/subject-store.ts): it reads a subject's
 * head and events (GetItem, BatchGetItem) and commits with TransactWriteItems, whose Put, Update
 * and Delete items are authorized as PutItem, UpdateItem and DeleteItem. */
export const INTAKE_TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
] as const;

export interface IntakeProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly sourcesSecret: ISecret;
  /** Caps concurrent intake invocations, so a burst of senders cannot outrun DynamoDB. */
  readonly reservedConcurrency?: number;
}

/** `POST /v1/sources/{sourceId}/events`: the signed webhook intake (functions/intake). */
export class Intake extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/intake/handler.ts",
      description: "Webhook intake: POST /v1/sources/{sourceId}/events",
      memorySize: 1024,
      // Under the API's 29 s integration timeout: the function answers (its own 503) before the API gives up.
      timeout: Duration.seconds(28),
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        TABLE_NAME: props.table.tableName,
        SOURCES_SECRET_ARN: props.sourcesSecret.secretArn,
      },
    });
    this.handler.allow([...INTAKE_TABLE_ACTIONS], [props.table.tableArn]);
    this.handler.allow(["secretsmanager:GetSecretValue"], [props.sourcesSecret.secretArn]);
  }
}
