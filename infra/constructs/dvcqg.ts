import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { INTAKE_TABLE_ACTIONS } from "./intake";
import { AppFunction, type FunctionDefaults } from "./node-function";

export interface DvcqgIntakeProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly sourcesSecret: ISecret;
  /** Caps concurrent invocations, so provincial syncs cannot outrun DynamoDB (nor the event intake). */
  readonly reservedConcurrency?: number;
}

/**
 * `POST /v1/sources/{sourceId}/dvcqg/auth` and `POST /v1/sources/{sourceId}/dvcqg`: the
 * national-portal-compatible intake (functions/dvcqg). Its own function, apart from the signed
 * intake: it alone holds the sessions and the log-in counters, and it gets its own concurrency and
 * throttling. Table actions: the intake's commit path (GetItem, BatchGetItem, TransactWriteItems
 * items) plus the sessions' PutItem / UpdateItem / GetItem, all on the one table.
 */
export class DvcqgIntake extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: DvcqgIntakeProps) {
    super(scope, id);
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/dvcqg/handler.ts",
      description: "DVCQG-compatible intake: POST /v1/sources/{sourceId}/dvcqg[/auth]",
      memorySize: 1024,
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
