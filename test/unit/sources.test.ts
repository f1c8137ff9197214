import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEMO_READER_TOKEN,
  DEMO_SOURCE,
  isInScope,
  loadSources,
  parseSources,
  SOURCES_CACHE_MS,
  type Source,
  SourcesConfigError,
} from "../../shared/intake/sources";

const SECRET_A = `whsec_${Buffer.from("secret A: thirty-two bytes long!").toString("base64")}`;
const SECRET_B = `whsec_${Buffer.from("secret B: thirty-two bytes long!").toString("base64")}`;

const haiDuong = { id: "hai-duong", secrets: [SECRET_A], allowedProvinces: ["30"] };
const quocTuan = { id: "quoc-tuan", secrets: [SECRET_A, SECRET_B], allowedCommunes: ["10621"] };

describe("the contract's local defaults", () => {
  it("are the demo source with the documented local secret (docs/api.md#local-defaults) and the demo reader token", () => {
    expect(DEMO_SOURCE).toEqual({
      id: "demo",
      secrets: ["whsec_ZGVtby1zZWNyZXQtZG8tbm90LXVzZS1pbi1wcm9kdWN0aW9u"],
    });
    expect(DEMO_READER_TOKEN).toBe("demo-reader-token");
    expect(isInScope(DEMO_SOURCE, { communeCode: "10621", provinceCode: "30" })).toBe(true);
  });
});

describe("parseSources", () => {
  it("accepts a JSON array of sources", () => {
    expect(parseSources(JSON.stringify([haiDuong, quocTuan]), "test")).toEqual([haiDuong, quocTuan]);
  });

  it("accepts the `*` wildcard as a list or as an element", () => {
    const sources = [
      { id: "a", secrets: [SECRET_A], allowedProvinces: "*" },
      { id: "b", secrets: [SECRET_A], allowedCommunes: ["*"] },
    ];
    expect(parseSources(sources, "test")).toEqual(sources);
  });

  it.each([
    ["not JSON", "[{", /not valid JSON/],
    ["not an array", { id: "a", secrets: [SECRET_A] }, /invalid sources configuration/],
    ["no secret", [{ id: "a", secrets: [] }], /0\.secrets/],
    ["a secret without the whsec_ prefix", [{ id: "a", secrets: ["c2VjcmV0"] }], /whsec_/],
    ["a key shorter than 16 bytes", [{ id: "a", secrets: ["whsec_c2hvcnQ="] }], /at least 16 bytes/],
    ["a key that is not base64", [{ id: "a", secrets: ["whsec_not base64!"] }], /base64/],
    ["an id with a slash", [{ id: "a/b", secrets: [SECRET_A] }], /0\.id/],
    [
      "a malformed commune code",
      [{ id: "a", secrets: [SECRET_A], allowedCommunes: ["1062"] }],
      /allowedCommunes/,
    ],
    [
      "a malformed province code",
      [{ id: "a", secrets: [SECRET_A], allowedProvinces: [30] }],
      /allowedProvinces/,
    ],
    ["an unknown field", [{ id: "a", secrets: [SECRET_A], secret: SECRET_A }], /secret/],
    ["a duplicate id", [haiDuong, { ...quocTuan, id: "hai-duong" }], /duplicate source id "hai-duong"/],
  ])("rejects %s with a SourcesConfigError", (_, input, message) => {
    expect(() => parseSources(input, "test")).toThrow(SourcesConfigError);
    expect(() => parseSources(input, "test")).toThrow(message);
  });

  it("never echoes a secret in its error message", () => {
    const leaky = [
      { id: "a", secrets: [SECRET_A], allowedCommunes: ["bad"] },
      { id: "b", secrets: ["whsec_short"] },
    ];
    try {
      parseSources(leaky, "test");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET_A);
      expect((error as Error).message).not.toContain("whsec_short");
    }
    const broken = `[{"id": "a", "secrets": ["${SECRET_A}"] oops}]`;
    expect(() => parseSources(broken, "test")).toThrow(/not valid JSON/);
    try {
      parseSources(broken, "test");
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET_A.slice(6, 20));
    }
  });
});

describe("loadSources", () => {
  it("reads SOURCES_JSON", async () => {
    const directory = loadSources({ SOURCES_JSON: JSON.stringify([haiDuong]) });
    expect(await directory.get("hai-duong")).toEqual(haiDuong);
    expect(await directory.get("demo")).toBeUndefined();
    expect(directory.origin).toBe("SOURCES_JSON");
  });

  it("reads SOURCES_FILE", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sources-")), "sources.json");
    writeFileSync(path, JSON.stringify([quocTuan]));
    expect(await loadSources({ SOURCES_FILE: path }).get("quoc-tuan")).toEqual(quocTuan);
  });

  it("fails at startup on a missing SOURCES_FILE or an invalid SOURCES_JSON", () => {
    expect(() => loadSources({ SOURCES_FILE: "/nonexistent/sources.json" })).toThrow(/cannot read/);
    expect(() => loadSources({ SOURCES_JSON: "[{}]" })).toThrow(SourcesConfigError);
  });

  it("fails at startup when more than one configuration is set", () => {
    expect(() => loadSources({ SOURCES_JSON: "[]", SOURCES_SECRET_ARN: "arn:x" })).toThrow(/only one of/);
  });

  it("fails at startup when nothing is configured, naming the variables to set", () => {
    expect(() => loadSources({})).toThrow(
      /no webhook sources configured: set SOURCES_JSON, SOURCES_FILE or SOURCES_SECRET_ARN/,
    );
    expect(() => loadSources({ LOCAL_DEFAULTS: "0" })).toThrow(SourcesConfigError);
    expect(() => loadSources({ LOCAL_DEFAULTS: "true" })).toThrow(SourcesConfigError);
  });

  it("gives the demo source only with LOCAL_DEFAULTS=1 and nothing else configured", async () => {
    expect(await loadSources({ LOCAL_DEFAULTS: "1" }).get("demo")).toEqual(DEMO_SOURCE);
    const configured = loadSources({ LOCAL_DEFAULTS: "1", SOURCES_JSON: JSON.stringify([haiDuong]) });
    expect(await configured.get("demo")).toBeUndefined();
    expect(await configured.get("hai-duong")).toEqual(haiDuong);
  });

  describe("from Secrets Manager", () => {
    /**
     * Powertools' SecretsProvider (the product's cache) on a Secrets Manager client whose answers come
     * from a middleware instead of the network: there is no local Secrets Manager. Its cache reads
     * Date, so the tests move a fake Date.
     */
    function fakeSecretsManager(initial: unknown) {
      let value: string | Error = JSON.stringify(initial);
      const calls: string[] = [];
      const client = new SecretsManagerClient({
        region: "ap-southeast-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      client.middlewareStack.add(
        () => async (args) => {
          const input = args.input as { SecretId: string };
          calls.push(input.SecretId);
          if (value instanceof Error) throw value;
          return { output: { SecretString: value, $metadata: {} }, response: {} };
        },
        { step: "initialize", name: "answerFromTheTest" },
      );
      return {
        secrets: new SecretsProvider({ awsSdkV3Client: client }),
        calls,
        set: (next: unknown) => {
          value = next instanceof Error || typeof next === "string" ? next : JSON.stringify(next);
        },
      };
    }

    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-01T00:00:00Z") });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("fetches the secret on first use, then answers from the cache", async () => {
      const store = fakeSecretsManager([haiDuong]);
      const directory = loadSources({ SOURCES_SECRET_ARN: "arn:aws:secretsmanager:x" }, store);
      expect(store.calls).toEqual([]);
      expect(await directory.get("hai-duong")).toEqual(haiDuong);
      expect(await directory.get("nobody")).toBeUndefined();
      expect(store.calls).toEqual(["arn:aws:secretsmanager:x"]);
    });

    it("picks up a rotated secret after the 5-minute cache, not before", async () => {
      const store = fakeSecretsManager([haiDuong]);
      const directory = loadSources({ SOURCES_SECRET_ARN: "arn:x" }, store);
      expect((await directory.get("hai-duong"))?.secrets).toEqual([SECRET_A]);

      store.set([{ ...haiDuong, secrets: [SECRET_A, SECRET_B] }]);
      vi.advanceTimersByTime(SOURCES_CACHE_MS - 1000);
      expect((await directory.get("hai-duong"))?.secrets).toEqual([SECRET_A]);
      vi.advanceTimersByTime(1001);
      expect((await directory.get("hai-duong"))?.secrets).toEqual([SECRET_A, SECRET_B]);
      expect(store.calls).toHaveLength(2);
    });

    it("keeps the last good configuration when a refresh fails or is invalid, and retries 30 s later", async () => {
      const store = fakeSecretsManager([haiDuong]);
      const directory = loadSources({ SOURCES_SECRET_ARN: "arn:x" }, store);
      await directory.get("hai-duong");
      store.set(new Error("Secrets Manager is unreachable"));
      vi.advanceTimersByTime(SOURCES_CACHE_MS + 1000);
      expect(await directory.get("hai-duong")).toEqual(haiDuong);
      expect(await directory.get("hai-duong")).toEqual(haiDuong);
      expect(store.calls).toHaveLength(2);

      store.set("not json");
      vi.advanceTimersByTime(30_000);
      expect(await directory.get("hai-duong")).toEqual(haiDuong);
      expect(store.calls).toHaveLength(3);
    });

    it("rejects when the first fetch fails, and retries on the next call", async () => {
      const store = fakeSecretsManager([haiDuong]);
      store.set(new Error("AccessDeniedException"));
      const directory = loadSources({ SOURCES_SECRET_ARN: "arn:x" }, store);
      await expect(directory.get("hai-duong")).rejects.toThrow("AccessDeniedException");
      store.set([haiDuong]);
      expect(await directory.get("hai-duong")).toEqual(haiDuong);
    });
  });
});

describe("isInScope", () => {
  const unit = { communeCode: "10621", provinceCode: "30" };
  const source = (scope: Partial<Source>): Source => ({ id: "s", secrets: [SECRET_A], ...scope });

  it("allows every unit when neither list is given", () => {
    expect(isInScope(source({}), unit)).toBe(true);
    expect(isInScope(source({}), { communeCode: "00001" })).toBe(true);
  });

  it("allows every unit with the `*` wildcard in either list", () => {
    expect(isInScope(source({ allowedProvinces: "*" }), unit)).toBe(true);
    expect(isInScope(source({ allowedCommunes: "*" }), unit)).toBe(true);
    expect(isInScope(source({ allowedProvinces: ["01", "*"] }), unit)).toBe(true);
  });

  it("allows a unit whose province is listed", () => {
    expect(isInScope(source({ allowedProvinces: ["01", "30"] }), unit)).toBe(true);
    expect(isInScope(source({ allowedProvinces: ["01"] }), unit)).toBe(false);
  });

  it("allows a unit whose commune is listed", () => {
    expect(isInScope(source({ allowedCommunes: ["10621"] }), unit)).toBe(true);
    expect(isInScope(source({ allowedCommunes: ["10622"] }), unit)).toBe(false);
  });

  it("allows a unit matched by either list when both are given", () => {
    const both = source({ allowedProvinces: ["01"], allowedCommunes: ["10621"] });
    expect(isInScope(both, unit)).toBe(true);
    expect(isInScope(both, { communeCode: "00004", provinceCode: "01" })).toBe(true);
    expect(isInScope(both, { communeCode: "10622", provinceCode: "30" })).toBe(false);
  });

  it("refuses a unit whose province is unknown unless its commune is listed", () => {
    expect(isInScope(source({ allowedProvinces: ["30"] }), { communeCode: "10621" })).toBe(false);
    expect(isInScope(source({ allowedCommunes: ["10621"] }), { communeCode: "10621" })).toBe(true);
  });

  it("allows nothing with empty lists", () => {
    expect(isInScope(source({ allowedProvinces: [], allowedCommunes: [] }), unit)).toBe(false);
  });
});
