import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { PeriodSpec } from "../../domain/calendar";
import { type EditionRecord, type EditionRevision, periodKey } from "../../editions/edition";
import type { EditionStore, WriteOutcome } from "../../editions/ports";
import { type AuditRecord, auditKey } from "../../people/audit-record";
import { batchGetItems } from "./batch-get";
import { keys } from "./keys";

/**
 * Report editions in the one table (layout in ../table.ts): the current edition of a unit and
 * period is the `HEAD` item, whose `revision` attribute is the optimistic-concurrency token (every
 * write is conditional on it); every revision is an item of its own, written once
 * (`attribute_not_exists`), so nothing is ever overwritten; an edition that a correction replaces
 * is kept as `E#{edition}`. Each write, its revision and its audit record are one
 * TransactWriteItems: all or nothing.
 */
export class DynamoEditionStore implements EditionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async current(unit: string, period: PeriodSpec): Promise<EditionRecord | undefined> {
    return this.get(keys.editionHead(unit, periodKey(period)));
  }

  async edition(unit: string, period: PeriodSpec, edition: number): Promise<EditionRecord | undefined> {
    const head = await this.current(unit, period);
    if (head?.edition === edition) return head;
    return this.get(keys.editionEarlier(unit, periodKey(period), edition));
  }

  async currentOf(units: readonly string[], period: PeriodSpec): Promise<Map<string, EditionRecord>> {
    const items = await batchGetItems(
      this.client,
      this.tableName,
      units.map((unit) => keys.editionHead(unit, periodKey(period))),
    );
    const found = new Map<string, EditionRecord>();
    for (const item of items) {
      const record = recordOf(unmarshall(item));
      found.set(record.unit, record);
    }
    return found;
  }

  async revisions(unit: string, period: PeriodSpec, edition: number): Promise<EditionRevision[]> {
    const pk = keys.editionPartition(unit, periodKey(period));
    const prefix = `R#${String(edition).padStart(3, "0")}#`;
    const found: EditionRevision[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: marshall({ ":pk": pk, ":prefix": prefix }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) found.push(JSON.parse(unmarshall(item).body as string));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async revision(
    unit: string,
    period: PeriodSpec,
    edition: number,
    revision: number,
  ): Promise<EditionRevision | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.editionRevision(unit, periodKey(period), edition, revision)),
        ConsistentRead: true,
      }),
    );
    return result.Item ? (JSON.parse(unmarshall(result.Item).body as string) as EditionRevision) : undefined;
  }

  async create(record: EditionRecord, revision: EditionRevision, audit: AuditRecord): Promise<WriteOutcome> {
    const key = periodKey(record.period);
    const items: TransactWriteItem[] = [];
    if (record.corrects === undefined) {
      items.push(this.putHead(record, "attribute_not_exists(pk)"));
    } else {
      const corrected = await this.current(record.unit, record.period);
      if (!corrected || corrected.edition !== record.corrects || corrected.status !== "issued") {
        return { ok: false, reason: corrected ? "exists" : "missing", current: corrected };
      }
      items.push({
        Put: {
          TableName: this.tableName,
          Item: marshall({
            ...keys.editionEarlier(record.unit, key, corrected.edition),
            ...headAttributes(corrected),
          }),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      });
      items.push(
        this.putHead(record, "edition = :corrected AND #status = :issued", {
          ":corrected": corrected.edition,
          ":issued": "issued",
        }),
      );
    }
    items.push(this.putRevision(record, revision), this.putAudit(audit));
    return this.transact(items, record, () =>
      this.refusal(record, (current) => (current ? "exists" : "missing")),
    );
  }

  async save(
    record: EditionRecord,
    expected: number,
    revision: EditionRevision,
    audit: AuditRecord,
  ): Promise<WriteOutcome> {
    return this.transact(
      [this.putDraftHead(record, expected), this.putRevision(record, revision), this.putAudit(audit)],
      record,
      () => this.refusal(record, writeRefusal),
    );
  }

  async issue(record: EditionRecord, expected: number, audit: AuditRecord): Promise<WriteOutcome> {
    const items = [this.putDraftHead(record, expected), this.putAudit(audit)];
    if (record.corrects !== undefined) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: marshall(keys.editionEarlier(record.unit, periodKey(record.period), record.corrects)),
          UpdateExpression: "SET #status = :superseded",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: marshall({ ":superseded": "superseded" }),
        },
      });
    }
    return this.transact(items, record, () => this.refusal(record, writeRefusal));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private async get(key: { pk: string; sk: string }): Promise<EditionRecord | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return result.Item ? recordOf(unmarshall(result.Item)) : undefined;
  }

  private putHead(
    record: EditionRecord,
    condition: string,
    values: Record<string, unknown> = {},
  ): TransactWriteItem {
    const uses = (name: string) => condition.includes(name);
    return {
      Put: {
        TableName: this.tableName,
        Item: marshall({
          ...keys.editionHead(record.unit, periodKey(record.period)),
          ...headAttributes(record),
        }),
        ConditionExpression: condition,
        ...(uses("#status") ? { ExpressionAttributeNames: { "#status": "status" } } : {}),
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: marshall(values) } : {}),
      },
    };
  }

  /** The head, only while it is the same draft at the revision the writer saw. */
  private putDraftHead(record: EditionRecord, expected: number): TransactWriteItem {
    return this.putHead(record, "revision = :expected AND edition = :edition AND #status = :draft", {
      ":expected": expected,
      ":edition": record.edition,
      ":draft": "draft",
    });
  }

  private putRevision(record: EditionRecord, revision: EditionRevision): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: marshall({
          ...keys.editionRevision(record.unit, periodKey(record.period), record.edition, revision.revision),
          body: JSON.stringify(revision),
        }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  private putAudit(audit: AuditRecord): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: marshall({ ...auditKey(audit), ...audit }, { removeUndefinedValues: true }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  private async transact(
    items: TransactWriteItem[],
    record: EditionRecord,
    refused: () => Promise<WriteOutcome>,
  ): Promise<WriteOutcome> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { ok: true, record };
    } catch (error) {
      // A condition failed (someone wrote first): not a dependency failure, a refusal to explain.
      if (error instanceof TransactionCanceledException && conditionFailed(error)) return refused();
      throw error;
    }
  }

  private async refusal(
    record: EditionRecord,
    reason: (current: EditionRecord | undefined) => Exclude<WriteOutcome, { ok: true }>["reason"],
  ): Promise<WriteOutcome> {
    const current = await this.current(record.unit, record.period);
    return { ok: false, reason: reason(current), ...(current ? { current } : {}) };
  }
}

function writeRefusal(current: EditionRecord | undefined) {
  if (!current) return "missing" as const;
  return current.status === "draft" ? ("conflict" as const) : ("issued" as const);
}

function conditionFailed(error: TransactionCanceledException): boolean {
  return (error.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");
}

/** The attributes conditions read (`edition`, `revision`, `status`) beside the whole record as JSON. */
function headAttributes(record: EditionRecord) {
  return {
    unit: record.unit,
    edition: record.edition,
    revision: record.revision,
    status: record.status,
    body: JSON.stringify(record),
  };
}

/** `status` is kept beside the JSON: superseding an edition changes only that attribute. */
function recordOf(item: Record<string, unknown>): EditionRecord {
  const record = JSON.parse(item.body as string) as EditionRecord;
  return { ...record, status: item.status as EditionRecord["status"] };
}
