import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { type AuditRecord, auditKey } from "../../people/audit-record";
import type { GrantLookup } from "../../people/authenticate";
import { ROLES, type Role } from "../../people/caller";
import type { Grant } from "../../people/grants";
import { keys } from "./keys";

/**
 * Grants and their audit records in the one table (layout in ../table.ts). Every write is one
 * transaction: the grant (conditional on the version read), its binding item, and its audit
 * records, so a refused or failed write leaves nothing and an accepted one always has its record.
 */
export interface StoredGrant extends Grant {
  /** Version, for conditional writes: 0 when absent. */
  readonly v: number;
}

/** The grant changed between the read and the write: read again and decide again. */
export class GrantConflictError extends Error {
  override name = "GrantConflictError";
}

const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

function grantOf(item: Record<string, unknown>): StoredGrant | undefined {
  if (typeof item.email !== "string" || !isRole(item.role)) return undefined;
  return {
    email: item.email,
    name: typeof item.name === "string" ? item.name : "",
    role: item.role,
    units: Array.isArray(item.units) ? item.units.map(String) : [],
    grantedBy: typeof item.grantedBy === "string" ? item.grantedBy : "",
    grantedAt: typeof item.grantedAt === "string" ? item.grantedAt : "",
    disabled: item.disabled === true,
    ...(typeof item.issuer === "string" && typeof item.subject === "string"
      ? { issuer: item.issuer, subject: item.subject }
      : {}),
    v: typeof item.v === "number" ? item.v : 0,
  };
}

function auditPut(tableName: string, record: AuditRecord): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: marshall({ ...auditKey(record), ...record }, { removeUndefinedValues: true }),
      // Never overwrite a record: the request id makes the key unique.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

export function auditRecordOf(item: Record<string, unknown>): AuditRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as AuditRecord;
}

/** What authentication needs: reads, and the binding at a first sign-in (every reading function). */
export class DynamoGrantLookup implements GrantLookup {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
  ) {}

  protected async getItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      // Consistent: a grant disabled or revoked a moment ago answers at once.
      new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return result.Item ? unmarshall(result.Item) : undefined;
  }

  async byEmail(email: string): Promise<StoredGrant | undefined> {
    const item = await this.getItem(keys.grant(email));
    return item ? grantOf(item) : undefined;
  }

  async bySubject(issuer: string, subject: string): Promise<StoredGrant | undefined> {
    const binding = await this.getItem(keys.grantBinding(issuer, subject));
    if (typeof binding?.email !== "string") return undefined;
    const grant = await this.byEmail(binding.email);
    // A binding left from a revoked grant made again for another person is not this person's.
    return grant?.issuer === issuer && grant.subject === subject ? grant : undefined;
  }

  async bind(email: string, issuer: string, subject: string): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: marshall(keys.grant(email)),
                UpdateExpression: "SET issuer = :issuer, subject = :subject, v = v + :one",
                ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(subject)",
                ExpressionAttributeValues: marshall({ ":issuer": issuer, ":subject": subject, ":one": 1 }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: marshall({ ...keys.grantBinding(issuer, subject), email }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }
}

/** Grants written and listed, and the audit read (the people function and `npm run people`). */
export class DynamoGrantStore extends DynamoGrantLookup {
  /** Every grant (a province's officials: one partition, read page by page). */
  async list(): Promise<StoredGrant[]> {
    const grants: StoredGrant[] = [];
    let startKey: QueryCommandInput["ExclusiveStartKey"];
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: marshall({ ":pk": keys.grantsPartition }),
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        const grant = grantOf(unmarshall(item));
        if (grant) grants.push(grant);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return grants;
  }

  /** Writes `next` if the stored grant is still at version `expected` (0: absent), with its audit records. */
  async save(next: Grant, expected: number, audit: readonly AuditRecord[]): Promise<void> {
    const { issuer, subject, ...fields } = next;
    const item = {
      ...keys.grant(next.email),
      ...fields,
      ...(issuer && subject ? { issuer, subject } : {}),
      v: expected + 1,
    };
    await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ...(expected === 0
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "v = :v", ExpressionAttributeValues: marshall({ ":v": expected }) }),
        },
      },
      ...audit.map((record) => auditPut(this.tableName, record)),
    ]);
  }

  /** Deletes the grant (and its binding) if still at version `existing.v`, with its audit records. */
  async remove(existing: StoredGrant, audit: readonly AuditRecord[]): Promise<void> {
    const items: TransactWriteItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: marshall(keys.grant(existing.email)),
          ConditionExpression: "v = :v",
          ExpressionAttributeValues: marshall({ ":v": existing.v }),
        },
      },
      ...audit.map((record) => auditPut(this.tableName, record)),
    ];
    if (existing.issuer && existing.subject) {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: marshall(keys.grantBinding(existing.issuer, existing.subject)),
        },
      });
    }
    await this.transact(items);
  }

  private async transact(items: TransactWriteItem[]): Promise<void> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons.some((reason) => reason?.Code === "ConditionalCheckFailed")) {
        throw new GrantConflictError("the grant changed meanwhile", { cause: error });
      }
      throw error;
    }
  }

  /** A unit's audit records, newest first; `cursor` continues from the previous page. */
  async auditOf(
    unit: string,
    limit: number,
    cursor?: string,
  ): Promise<{ records: AuditRecord[]; next?: string }> {
    const pk = auditKey({ unit, at: "", requestId: "", action: "grant.put" }).pk;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: marshall({ ":pk": pk }),
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: marshall({ pk, sk: cursor }) } : {}),
      }),
    );
    const records = (page.Items ?? []).map((item) => auditRecordOf(unmarshall(item)));
    const last = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    return { records, ...(typeof last?.sk === "string" ? { next: last.sk } : {}) };
  }
}
