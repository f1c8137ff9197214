import { Construct } from "constructs";
import { IntakeFunction, type IntakeSharedProps } from "./intake-function";

export type IntakeProps = IntakeSharedProps;

/** `POST /v1/sources/{sourceId}/events`: the signed webhook intake (functions/intake). */
export class Intake extends Construct {
  readonly handler: IntakeFunction;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    this.handler = new IntakeFunction(this, "Handler", {
      ...props,
      entry: "functions/intake/handler.ts",
      description: "Webhook intake: POST /v1/sources/{sourceId}/events",
      alarmName: "Intake",
    });
  }
}
