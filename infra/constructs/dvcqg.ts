import { Construct } from "constructs";
import { IntakeFunction, type IntakeSharedProps } from "./intake-function";

/** `reservedConcurrency` caps the DVCQG function apart, so provincial syncs cannot outrun DynamoDB
 * (nor the event intake). */
export type DvcqgIntakeProps = IntakeSharedProps;

/**
 * `POST /v1/sources/{sourceId}/dvcqg/auth` and `POST /v1/sources/{sourceId}/dvcqg`: the
 * national-portal-compatible intake (functions/dvcqg). Its own function, apart from the signed
 * intake: it alone holds the sessions and the log-in counters, and it gets its own concurrency and
 * throttling. Table actions: the intake's commit path (GetItem, BatchGetItem, TransactWriteItems
 * items) plus the sessions' PutItem / UpdateItem / GetItem, all on the one table.
 */
export class DvcqgIntake extends Construct {
  readonly handler: IntakeFunction;

  constructor(scope: Construct, id: string, props: DvcqgIntakeProps) {
    super(scope, id);
    this.handler = new IntakeFunction(this, "Handler", {
      ...props,
      entry: "functions/dvcqg/handler.ts",
      description: "DVCQG-compatible intake: POST /v1/sources/{sourceId}/dvcqg[/auth]",
      alarmName: "Dvcqg",
    });
  }
}
