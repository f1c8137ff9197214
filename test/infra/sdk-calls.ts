/**
 * The AWS calls a Lambda entry really makes, read from its bundle: esbuild bundles the entry
 * (tree-shaken, not minified, so each module keeps its `// path` header) and every project module
 * of the bundle, and every Powertools module (they call AWS for the code), is searched for
 * `new XxxCommand(` and for the item kinds of a TransactWriteItems.
 * Each call maps to the IAM actions that authorize it; the infra tests compare them with the
 * function's role, both ways, so a new SDK call cannot ship without its permission, and a permission
 * no code uses cannot linger.
 */
import path from "node:path";
import { build } from "esbuild";

/** IAM actions authorizing each SDK command the project may use. Unknown commands fail the test:
 * add them here (with the actions from the Service Authorization Reference). */
export const COMMAND_ACTIONS: Record<string, readonly string[]> = {
  // DynamoDB
  GetItem: ["dynamodb:GetItem"],
  BatchGetItem: ["dynamodb:BatchGetItem"],
  Query: ["dynamodb:Query"],
  Scan: ["dynamodb:Scan"],
  PutItem: ["dynamodb:PutItem"],
  UpdateItem: ["dynamodb:UpdateItem"],
  DeleteItem: ["dynamodb:DeleteItem"],
  BatchWriteItem: ["dynamodb:BatchWriteItem"],
  DescribeTable: ["dynamodb:DescribeTable"],
  TransactGetItems: ["dynamodb:GetItem"],
  // TransactWriteItems is authorized per item kind (see TRANSACT_ITEM_ACTIONS).
  TransactWriteItems: [],
  // S3
  GetObject: ["s3:GetObject"],
  HeadObject: ["s3:GetObject"],
  PutObject: ["s3:PutObject"],
  DeleteObject: ["s3:DeleteObject"],
  ListObjectsV2: ["s3:ListBucket"],
  HeadBucket: ["s3:ListBucket"],
  // SQS
  SendMessage: ["sqs:SendMessage"],
  SendMessageBatch: ["sqs:SendMessage"],
  // Secrets Manager
  GetSecretValue: ["secretsmanager:GetSecretValue"],
};

export const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
};

export interface SdkUse {
  /** Command names without the `Command` suffix, e.g. `GetItem`. */
  commands: string[];
  /** The IAM actions these commands need. */
  actions: string[];
  /** Commands missing from COMMAND_ACTIONS. */
  unknown: string[];
  /** The project modules in the bundle. */
  modules: string[];
}

/** Bundles `entry` (relative to `root`) in memory and lists the AWS calls of its project modules. */
export async function sdkUseOf(root: string, entry: string): Promise<SdkUse> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node22",
    mainFields: ["module", "main"],
    treeShaking: true,
    minify: false,
    logLevel: "silent",
    charset: "utf8",
  });
  const text = result.outputFiles[0]!.text;
  // esbuild starts the code of each module with a `// <path>` line.
  const sections = text.split(/^\/\/ (?=\S+\.[cm]?[jt]sx?$)/m);
  const project = sections.filter((section) => {
    const header = section.slice(0, section.indexOf("\n"));
    // Powertools utilities make calls on the code's behalf (parameters' SecretsProvider: GetSecretValue).
    const caller =
      !header.includes("node_modules/") || header.includes("node_modules/@aws-lambda-powertools/");
    return caller && /\.[cm]?[jt]sx?$/.test(header);
  });
  const modules = project.map((section) => section.slice(0, section.indexOf("\n")));
  const code = project.join("\n");

  const commands = new Set<string>();
  for (const match of code.matchAll(/\bnew (\w+?)Command\d*\(/g)) commands.add(match[1]!);
  const actions = new Set<string>();
  const unknown: string[] = [];
  for (const command of commands) {
    const mapped = COMMAND_ACTIONS[command];
    if (!mapped) unknown.push(command);
    for (const action of mapped ?? []) actions.add(action);
  }
  if (commands.has("TransactWriteItems")) {
    for (const match of code.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s*\{/g)) {
      actions.add(TRANSACT_ITEM_ACTIONS[match[1]!]!);
    }
  }
  return { commands: [...commands].sort(), actions: [...actions].sort(), unknown, modules };
}
