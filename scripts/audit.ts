/**
 * npm run audit [-- --repair]
 *
 * Recomputes every aggregate and listing from the stored events (the oracle) and compares with
 * what the intake wrote. Exit 0 when they agree, 1 when they differ. `--repair` writes the
 * recomputed values: pause the intake first (it sets counters, it does not add to them). Table:
 * TABLE_NAME (default onestop-local); DYNAMODB_ENDPOINT for the local stack, nothing in AWS.
 */
import { parseArgs } from "node:util";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { auditAggregates, repairAggregates } from "../shared/adapters/dynamo/audit";

const { values } = parseArgs({ options: { repair: { type: "boolean" } } });
const tableName = process.env.TABLE_NAME ?? "onestop-local";
const client = dynamoClientFromEnv();

const audit = await auditAggregates(client, tableName);
console.log(
  `${audit.subjects} subjects, ${audit.events} events → ${audit.aggregates.expected} aggregates, ${audit.listings.expected} listings`,
);
for (const { key, stored, expected } of audit.aggregates.differing.slice(0, 20)) {
  console.log(`  aggregate ${key}: stored ${JSON.stringify(stored)}, recomputed ${JSON.stringify(expected)}`);
}
for (const key of audit.listings.missing.slice(0, 20)) console.log(`  listing missing or different: ${key}`);
for (const key of audit.listings.unexpected.slice(0, 20)) console.log(`  listing not expected: ${key}`);

const differences =
  audit.aggregates.differing.length + audit.listings.missing.length + audit.listings.unexpected.length;
if (differences === 0) {
  console.log("aggregates and listings equal the recomputation");
} else if (values.repair) {
  console.log(`repaired: ${await repairAggregates(client, audit)} writes`);
} else {
  console.log(`${differences} differences; run with --repair (intake paused) to write the recomputed values`);
  process.exitCode = 1;
}
