/**
 * npm run incomplete -- --source demo
 *
 * Lists the dossiers (and feedbacks) of a source whose opening event has not arrived: their events
 * are stored and count as soon as it does. TABLE_NAME (default onestop-local); DYNAMODB_ENDPOINT
 * for the local stack, nothing in AWS.
 */
import { parseArgs } from "node:util";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { listIncomplete } from "../shared/adapters/dynamo/incomplete";

const { values } = parseArgs({ options: { source: { type: "string", default: "demo" } } });
const subjects = await listIncomplete(
  dynamoClientFromEnv(),
  process.env.TABLE_NAME ?? "onestop-local",
  values.source,
);
for (const { kind, code } of subjects) console.log(`${kind}\t${code}`);
console.log(`${subjects.length} incomplete for source ${values.source}`);
