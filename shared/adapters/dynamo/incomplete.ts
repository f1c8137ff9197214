import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { SubjectRef } from "../../domain/events";
import { INCOMPLETE_INDEX } from "../table";
import { keys } from "./keys";

/**
 * Subjects of a source whose opening event (`dossier.received` / `feedback.received`) has not
 * arrived: their events are stored and will count the moment it does. Read from the sparse index,
 * which is eventually consistent: a subject completed a moment ago may still be listed.
 */
export async function listIncomplete(
  client: DynamoDBClient,
  tableName: string,
  sourceId: string,
): Promise<SubjectRef[]> {
  const subjects: SubjectRef[] = [];
  let startKey: QueryCommand["input"]["ExclusiveStartKey"];
  const prefix = `S#${sourceId}#`;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INCOMPLETE_INDEX.name,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": INCOMPLETE_INDEX.partitionKey },
        ExpressionAttributeValues: { ":pk": { S: keys.incompletePartition(sourceId) } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const headKey = item[INCOMPLETE_INDEX.sortKey]?.S ?? "";
      const [kind, ...code] = headKey.slice(prefix.length).split("#");
      subjects.push({ kind: kind === "F" ? "feedback" : "dossier", code: code.join("#") });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return subjects;
}
