/**
 * npm run token -- --province 30 [--commune 10621,10623] [--all] [--days 90] [--label "VP UBND tỉnh"]
 *
 * Creates a report reader token and prints it once: only its SHA-256 is stored (item `T#{hash}`),
 * with its scope and optional expiry. The table is TABLE_NAME (default onestop-local); set
 * DYNAMODB_ENDPOINT to the local stack's DynamoDB (printed by `npm start`), or nothing in AWS.
 */
import { parseArgs } from "node:util";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { DynamoTokenStore, newReaderToken } from "../shared/adapters/dynamo/token-store";
import { COMMUNE_CODE_PATTERN, PROVINCE_CODE_PATTERN } from "../shared/domain/unit-codes";

const { values } = parseArgs({
  options: {
    commune: { type: "string" },
    province: { type: "string" },
    all: { type: "boolean" },
    days: { type: "string" },
    label: { type: "string" },
  },
});
const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((code) => code.trim())
    .filter(Boolean);
const communes = list(values.commune);
const provinces = values.all ? ["*"] : list(values.province);
if (!communes?.length && !provinces?.length) {
  console.error("give --commune CODES, --province CODES (comma-separated) or --all");
  process.exit(2);
}
if (
  communes?.some((c) => !COMMUNE_CODE_PATTERN.test(c)) ||
  provinces?.some((p) => p !== "*" && !PROVINCE_CODE_PATTERN.test(p))
) {
  console.error("commune codes have 5 digits, province codes 2");
  process.exit(2);
}
const days = values.days === undefined ? undefined : Number(values.days);
if (days !== undefined && !(days > 0)) {
  console.error("--days must be a positive number");
  process.exit(2);
}

const token = newReaderToken();
const tableName = process.env.TABLE_NAME ?? "onestop-local";
const expiresAt = days === undefined ? undefined : new Date(Date.now() + days * 86_400_000).toISOString();
await new DynamoTokenStore(dynamoClientFromEnv(), tableName).put(token, {
  scope: { ...(communes?.length ? { communes } : {}), ...(provinces?.length ? { provinces } : {}) },
  ...(expiresAt ? { expiresAt } : {}),
  ...(values.label ? { label: values.label } : {}),
});
console.log(token);
console.error(
  `reader token stored hashed in ${tableName}: communes ${communes?.join(",") ?? "-"}, provinces ${provinces?.join(",") ?? "-"}` +
    `${expiresAt ? `, expires ${expiresAt}` : ", no expiry"} (shown only now)`,
);
