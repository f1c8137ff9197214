/**
 * Helpers for the editions tests: a test double of the Authenticator port (fixed bearer strings
 * mapped to people and reader tokens, until the people module's real one is wired by the
 * integrator), the handler built on a test table and bucket, and requests answered as the error
 * boundary answers them (functions/runtime.ts, local/http-server.ts).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createEditionsHandler } from "../../functions/editions/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoEditionStore } from "../../shared/adapters/dynamo/edition-store";
import { S3EditionFileStore } from "../../shared/adapters/s3/edition-files";
import { answerForError } from "../../shared/api/errors";
import type { EditionDeps } from "../../shared/editions/service";
import { type Authenticator, type Person, type Role, scopeOfUnits } from "../../shared/people/caller";

export function person(subject: string, role: Role, units: string[], name = `Người ${subject}`): Person {
  return { issuer: "https://issuer.test", subject, name, role, units };
}

/** The people of the tests, by bearer string; `reader-30` is an access code of province 30. */
export const PEOPLE: Record<string, Person> = {
  "cb-10621": person("cb-10621", "editor", ["10621"], "Cán bộ Một cửa xã Quốc Tuấn"),
  "ct-10621": person("ct-10621", "issuer", ["10621"], "Chủ tịch UBND xã Quốc Tuấn"),
  "viewer-30": person("viewer-30", "viewer", ["30"]),
  "editor-30": person("editor-30", "editor", ["30"]),
  "issuer-30": person("issuer-30", "issuer", ["30"]),
  "cb-10618": person("cb-10618", "issuer", ["10618"]),
};

export const testAuthenticator: Authenticator = {
  async authenticate(authorization) {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    if (bearer === "reader-30")
      return { ok: true, caller: { kind: "reader-token", scope: { provinces: ["30"] } } };
    const found = bearer ? PEOPLE[bearer] : undefined;
    if (!found) return { ok: false, status: 401, code: "unauthorized", message: "unknown token" };
    return { ok: true, caller: { kind: "person", person: found, scope: scopeOfUnits(found.units) } };
  },
};

export function editionDeps(
  client: DynamoDBClient,
  tableName: string,
  s3: S3Client,
  bucket: string,
): EditionDeps {
  return {
    editions: new DynamoEditionStore(client, tableName),
    files: new S3EditionFileStore(s3, bucket),
    aggregates: new DynamoAggregateReader(client, tableName),
  };
}

export interface Call {
  token?: string;
  query?: Record<string, string>;
  ifMatch?: string;
  body?: unknown;
}

/** One request through the handler, a thrown refusal answered as the error boundary does. */
export function editionsClient(deps: EditionDeps, now: () => Date) {
  const handler = createEditionsHandler({
    editions: deps,
    authenticator: testAuthenticator,
    logger: new Logger({ logLevel: "SILENT" }),
    now,
  });
  return async (routeKey: string, path: Record<string, string>, call: Call = {}) => {
    const [method, template] = routeKey.split(" ") as [string, string];
    const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? "");
    const event = {
      version: "2.0",
      routeKey,
      rawPath,
      rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
      headers: {
        ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
        ...(call.ifMatch ? { "if-match": call.ifMatch } : {}),
        "content-type": "application/json",
      },
      pathParameters: path,
      queryStringParameters: call.query,
      requestContext: {
        http: { method, path: rawPath },
        requestId: `req-${Math.random().toString(36).slice(2)}`,
      },
      body:
        call.body === undefined
          ? undefined
          : typeof call.body === "string"
            ? call.body
            : JSON.stringify(call.body),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    let response: APIGatewayProxyStructuredResultV2;
    try {
      response = await handler(event);
    } catch (error) {
      response = answerForError(error, "test").response;
    }
    return {
      status: response.statusCode ?? 0,
      headers: (response.headers ?? {}) as Record<string, string>,
      body: response.body ? JSON.parse(response.body) : undefined,
    };
  };
}

/** Every edition, revision and audit item of the table (pk `ED#…`, `AU#…`), to prove nothing was written. */
export async function editionItems(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const { pk, sk, revision, status } = unmarshall(item);
      if (/^(ED|AU)#/.test(pk)) found.push(`${pk}|${sk}|${revision ?? ""}|${status ?? ""}`);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return found.sort();
}

export async function editionObjects(s3: S3Client, bucket: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "editions/" }));
  return (page.Contents ?? []).map((object) => `${object.Key}|${object.ETag}`).sort();
}
