import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { AppFunction, type FunctionDefaults } from "./node-function";
import type { Operations } from "./operations";

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

/** What every intake construct is given by the stack. */
export interface IntakeSharedProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly sourcesSecret: ISecret;
  /** Caps concurrent invocations, so a burst of senders cannot outrun DynamoDB. */
  readonly reservedConcurrency?: number;
}

export interface IntakeFunctionProps extends IntakeSharedProps {
  /** The entry from the project root, e.g. `functions/intake/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  /** The alarms' name prefix, e.g. `Intake` → `IntakeErrors`, `IntakeThrottles`. */
  readonly alarmName: string;
}

/**
 * A function that commits senders' facts through the exactly-once core (the signed events intake,
 * the DVCQG intake): 1024 MB, answering before the API's 29 s integration timeout, the intake's
 * table actions on the one table, the sources secret, and its alarms (`watchedBy`, once the stack
 * has its operations).
 */
export class IntakeFunction extends AppFunction {
  private readonly alarmName: string;

  constructor(scope: Construct, id: string, props: IntakeFunctionProps) {
    super(scope, id, {
      defaults: props.defaults,
      entry: props.entry,
      description: props.description,
      memorySize: 1024,
      // Under the API's 29 s integration timeout: the function answers (its own 503) before the API gives up.
      timeout: Duration.seconds(28),
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        TABLE_NAME: props.table.tableName,
        SOURCES_SECRET_ARN: props.sourcesSecret.secretArn,
      },
    });
    this.allow([...INTAKE_TABLE_ACTIONS], [props.table.tableArn]);
    this.allow(["secretsmanager:GetSecretValue"], [props.sourcesSecret.secretArn]);
    this.alarmName = props.alarmName;
  }

  /** Alarms on the function's errors and throttles (`<alarmName>Errors`, `<alarmName>Throttles`). */
  watchedBy(operations: Operations): void {
    operations.watchFunction(this.alarmName, this.function);
  }
}
