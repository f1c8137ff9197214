/**
 * The local API as a separate process (test/support/stack-process.ts `api`), serving the real
 * handlers against a DynamoDB Local and an S3 server that live in another process: it can be
 * SIGKILLed mid-request while the database survives, and its memory can be read from outside.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_SOURCE } from "../../shared/intake/sources";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX_LOADER = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const FIXTURE = path.join(ROOT, "test", "support", "stack-process.ts");

export interface ApiProcessOptions {
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the process's other output lines (its logs). */
  onLog?: (line: string) => void;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  /** The process's memory, as it reports it on SIGUSR2. */
  memory(): Promise<Memory>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export async function startApiProcess(opts: ApiProcessOptions): Promise<ApiProcess> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, FIXTURE, "api"], {
    cwd: ROOT,
    env: {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
      ...opts.env,
      EXTERNAL_DYNAMODB_ENDPOINT: opts.dynamoEndpoint,
      EXTERNAL_S3_ENDPOINT: opts.s3Endpoint,
      TABLE_NAME: opts.tableName,
      BUCKET_NAME: opts.bucketName,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    opts.onLog?.(chunk.toString());
  });
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? String(code))),
  );
  const memoryWaiters: ((memory: Memory) => void)[] = [];
  let out = "";
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const line of lines) {
        const message = (line.startsWith("{") ? JSON.parse(line) : {}) as {
          ready?: boolean;
          url?: string;
          memory?: Memory;
        };
        if (!message.ready && !message.memory) opts.onLog?.(line);
        if (message.ready && message.url) resolve({ url: message.url });
        if (message.memory) memoryWaiters.shift()?.(message.memory);
      }
    });
    void exited.then((code) =>
      reject(new Error(`the API process exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  const { url } = await ready;
  return {
    url,
    child,
    exited,
    memory() {
      return new Promise((resolve) => {
        memoryWaiters.push(resolve);
        child.kill("SIGUSR2");
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface IntakeAnswer {
  status: number;
  body: unknown;
}

/** POSTs a signed body to the demo source's intake (docs/api.md#intake), over a keep-alive connection. */
export async function postSigned(baseUrl: string, body: string, headers: Record<string, string> = {}) {
  const signature = signPayload({
    secret: DEMO_SOURCE.secrets[0]!,
    id: randomUUID(),
    timestamp: Math.floor(Date.now() / 1000),
    body,
  });
  const response = await fetch(`${baseUrl}/v1/sources/${DEMO_SOURCE.id}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signature, ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the caller sees the text
  }
  return { status: response.status, body: parsed } satisfies IntakeAnswer;
}
