import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { AppFunction, type FunctionDefaults } from "./node-function";

/** Items of the people's part of the table (shared/adapters/table.ts): grants and bindings `G#…`,
 * audit records `AU#…`, reader tokens `T#…` (an access code is answered 403 here, not 401). */
export const PEOPLE_KEY_PREFIXES = ["G#*", "AU#*", "T#*"] as const;
/** Reads grants, bindings, reader tokens and audit records. */
export const PEOPLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:Query"] as const;
/** Grants are put, updated (binding) and deleted (revocation); audit records, written in the same
 * transactions, are only ever put: no update or delete reaches `AU#…`. */
export const GRANT_WRITE_ACTIONS = ["dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;
/** The binding at a first sign-in, from any function that authenticates people. */
export const BIND_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"] as const;

/** `IAM condition`: only items whose partition key starts with one of `prefixes`. */
export function leadingKeys(prefixes: readonly string[]) {
  return { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...prefixes] } };
}

export interface PeopleProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
}

/** `GET /v1/auth/config`, `/v1/me`, the grants and the audit (functions/people, docs/people.md). */
export class People extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: PeopleProps) {
    super(scope, id);
    const { table } = props;
    this.handler = new AppFunction(this, "Handler", {
      defaults: props.defaults,
      entry: "functions/people/handler.ts",
      description: "People: sign-in configuration, the signed-in person, grants and the audit",
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: table.tableName },
    });
    this.handler.allow(PEOPLE_READ_ACTIONS, [table.tableArn], leadingKeys(PEOPLE_KEY_PREFIXES));
    this.handler.allow(["dynamodb:PutItem"], [table.tableArn], leadingKeys(["G#*", "AU#*"]));
    this.handler.allow(GRANT_WRITE_ACTIONS, [table.tableArn], leadingKeys(["G#*"]));
  }
}
