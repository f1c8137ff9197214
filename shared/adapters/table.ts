/**
 * The one DynamoDB table, defined once: the local stack creates it from this definition and the
 * CDK data construct declares the same key schema (infra tests compare the two).
 *
 * Items (all keys are strings):
 * - dossier / feedback head   pk `S#{sourceId}#D#{dossierCode}` or `S#{sourceId}#F#{feedbackCode}`, sk `HEAD`
 * - accepted event            pk `S#{sourceId}#E#{eventId}`, sk `EVENT`
 * - aggregate                 pk `A#{communeCode}`, sk `{reportingMonth}#{fieldCode}`  (e.g. `2023-01#HT`)
 * - listing                   pk `L#{communeCode}`, sk `{kind}#{reportingMonth}#{sourceId}#{dossierCode}`
 *                             (kind `late` or `overdue`, see shared/domain/listings.ts)
 * - commit marker             pk `CM#{communeCode}`, sk `COMMITS` (`commits`, bumped by every intake
 *                             transaction that changes the commune; read by the live figures cache)
 * - report reader token       pk `T#{sha256(token)}`, sk `TOKEN`
 * - DVCQG session             pk `DQS#{sha256(session)}`, sk `SESSION` (with `ttl`)
 * - DVCQG failed log-ins      pk `DQF#{sourceId}`, sk `WINDOW#{epoch ms}` (with `ttl`)
 * - person's grant            pk `G#GRANTS`, sk `E#{email}` (lower-cased; role, units, binding, version `v`)
 * - grant binding             pk `G#SUB#{issuer}#{sub}`, sk `BINDING` (the bound grant's e-mail)
 * - audit record              pk `AU#{unit}`, sk `{at}#{requestId}#{action}` (shared/people/audit-record.ts;
 *                             never updated or deleted, no TTL)
 * - report edition, current   pk `ED#{unit}#{periodKey}`, sk `HEAD` (`revision` for optimistic
 *                             concurrency, `status`, the edition as JSON; docs/editions.md)
 * - earlier edition           pk `ED#{unit}#{periodKey}`, sk `E#{edition:3}` (kept when corrected)
 * - edition revision          pk `ED#{unit}#{periodKey}`, sk `R#{edition:3}#{revision:6}` (never rewritten)
 * GSI `gsi1` is sparse: heads of subjects whose opening event has not arrived yet
 * (gsi1pk `INCOMPLETE#{sourceId}`, gsi1sk the head's pk).
 */
export const TABLE_KEY = { partitionKey: "pk", sortKey: "sk" } as const;
export const INCOMPLETE_INDEX = { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" } as const;

export const tableDefinition = {
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partitionKey, AttributeType: "S" },
    { AttributeName: TABLE_KEY.sortKey, AttributeType: "S" },
    { AttributeName: INCOMPLETE_INDEX.partitionKey, AttributeType: "S" },
    { AttributeName: INCOMPLETE_INDEX.sortKey, AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: "HASH" },
    { AttributeName: TABLE_KEY.sortKey, KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: INCOMPLETE_INDEX.name,
      KeySchema: [
        { AttributeName: INCOMPLETE_INDEX.partitionKey, KeyType: "HASH" },
        { AttributeName: INCOMPLETE_INDEX.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "KEYS_ONLY" },
    },
  ],
  BillingMode: "PAY_PER_REQUEST",
} as const;
