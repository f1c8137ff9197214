import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { DossierState, SubjectState } from "../../domain/subject-state";
import { keys } from "./keys";

/** Reads a dossier's folded state from its head item (what the store last committed). */
export class DynamoDossierReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async dossierState(sourceId: string, dossierCode: string): Promise<DossierState | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.head(sourceId, { kind: "dossier", code: dossierCode })),
        ProjectionExpression: "st",
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const state = JSON.parse(unmarshall(result.Item).st as string) as SubjectState;
    return state.kind === "dossier" ? state : undefined;
  }
}
