/**
 * npm run people -- grant --email qt@haiduong.gov.vn --role admin --units 30 [--name "Quản trị tỉnh"] [--disabled | --enabled]
 * npm run people -- revoke --email qt@haiduong.gov.vn
 * npm run people -- list [--unit 30]
 *
 * Grants for operators (docs/people.md#grants): the first admin of a province, or any grant an
 * admin cannot make (`--units "*"`, every unit, is allowed only here). Each grant and revocation
 * writes its audit records, by `cli:<operator>` (OPERATOR or USER). The table is TABLE_NAME
 * (default onestop-local); set DYNAMODB_ENDPOINT for the local stack's DynamoDB, nothing in AWS.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { DynamoGrantStore } from "../shared/adapters/dynamo/grant-store";
import { ROLES, type Role } from "../shared/people/caller";
import {
  emailSchema,
  grantsOfUnit,
  isKnownUnit,
  MAX_GRANT_UNITS,
  publicGrant,
} from "../shared/people/grants";
import { putGrant, revokeGrant } from "../shared/people/manage-grants";

export interface PeopleCommandDeps {
  store: DynamoGrantStore;
  operator: string;
  now: () => Date;
  out: (line: string) => void;
}

const USAGE =
  "usage: npm run people -- grant --email E --role R --units U[,U…] [--name N] [--disabled|--enabled] | revoke --email E | list [--unit U]";

/** Runs one command; returns the process exit code (2: bad arguments, 1: refused). */
export async function peopleCommand(argv: string[], deps: PeopleCommandDeps): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      units: { type: "string" },
      name: { type: "string" },
      unit: { type: "string" },
      disabled: { type: "boolean" },
      enabled: { type: "boolean" },
    },
  });
  const context = { now: deps.now(), requestId: `cli-${randomUUID()}` };
  const actor = { kind: "operator", name: deps.operator } as const;
  const email = values.email === undefined ? undefined : emailSchema.safeParse(values.email);
  if (command === "list") {
    const grants = await deps.store.list();
    const shown = values.unit ? grantsOfUnit(grants, values.unit) : grants;
    for (const grant of shown) deps.out(JSON.stringify(publicGrant(grant)));
    return 0;
  }
  if ((command !== "grant" && command !== "revoke") || !email?.success) {
    deps.out(USAGE);
    return 2;
  }
  if (command === "revoke") {
    const outcome = await revokeGrant(deps.store, actor, email.data, context);
    deps.out(outcome.ok ? `revoked the grant of ${email.data}` : outcome.message);
    return outcome.ok ? 0 : 1;
  }
  const role = values.role as Role;
  const units = (values.units ?? "")
    .split(",")
    .map((unit) => unit.trim())
    .filter(Boolean);
  if (!ROLES.includes(role) || units.length === 0 || units.length > MAX_GRANT_UNITS) {
    deps.out(
      `give --role (${ROLES.join(", ")}) and --units (1 to ${MAX_GRANT_UNITS} commune or province codes, or "*")`,
    );
    return 2;
  }
  const unknown = units.filter((unit) => unit !== "*" && !isKnownUnit(unit));
  if (unknown.length > 0) {
    deps.out(`the unit registry has no unit ${unknown.join(", ")}`);
    return 2;
  }
  const disabled = values.disabled ? true : values.enabled ? false : undefined;
  const change = {
    role,
    units,
    ...(values.name ? { name: values.name } : {}),
    ...(disabled === undefined ? {} : { disabled }),
  };
  const outcome = await putGrant(deps.store, actor, email.data, change, context);
  if (!outcome.ok) {
    deps.out(outcome.message);
    return 1;
  }
  deps.out(JSON.stringify(publicGrant(outcome.grant)));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tableName = process.env.TABLE_NAME ?? "onestop-local";
  const code = await peopleCommand(process.argv.slice(2), {
    store: new DynamoGrantStore(dynamoClientFromEnv(), tableName),
    operator: process.env.OPERATOR ?? process.env.USER ?? "operator",
    now: () => new Date(),
    out: (line) => console.log(line),
  });
  process.exit(code);
}
