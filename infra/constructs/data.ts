import { RemovalPolicy } from "aws-cdk-lib";
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { tableDefinition } from "../../shared/adapters/table";

/** The epoch-seconds expiry the token store writes beside a reader token's `expiresAt`
 * (shared/adapters/dynamo/token-store.ts): DynamoDB deletes expired tokens on its own. The store
 * checks `expiresAt` itself, so TTL is only the clean-up. */
export const TTL_ATTRIBUTE = "ttl";

type KeySchema = readonly { readonly AttributeName: string; readonly KeyType: "HASH" | "RANGE" }[];

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

/** The CDK attribute of a key, typed from `tableDefinition.AttributeDefinitions`. */
function attribute(name: string): Attribute {
  const definition = tableDefinition.AttributeDefinitions.find((a) => a.AttributeName === name);
  if (!definition) throw new Error(`shared/adapters/table.ts: no attribute definition for key "${name}"`);
  return { name, type: attributeTypes[definition.AttributeType] };
}

/** The partition and sort key of a key schema, as CDK attributes. */
function keysOf(schema: KeySchema): { partitionKey: Attribute; sortKey?: Attribute } {
  const hash = schema.find((k) => k.KeyType === "HASH");
  if (!hash) throw new Error("shared/adapters/table.ts: a key schema without a HASH key");
  const range = schema.find((k) => k.KeyType === "RANGE");
  return {
    partitionKey: attribute(hash.AttributeName),
    ...(range && { sortKey: attribute(range.AttributeName) }),
  };
}

/**
 * The one DynamoDB table, declared from `shared/adapters/table.ts` (the definition the local stack
 * creates its table from): on demand, point-in-time recovery, deletion protection, encrypted with
 * the AWS-managed key `aws/dynamodb`, kept when the stack is deleted.
 */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    if (tableDefinition.BillingMode !== "PAY_PER_REQUEST") {
      throw new Error("shared/adapters/table.ts: the deployed table is on demand (PAY_PER_REQUEST)");
    }
    this.table = new Table(this, "Table", {
      ...keysOf(tableDefinition.KeySchema),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.GlobalSecondaryIndexes) {
      const projection = index.Projection.ProjectionType;
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        ...keysOf(index.KeySchema),
        projectionType: ProjectionType[projection],
      });
    }
  }
}
