import { gzipSync } from "node:zlib";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** Below this a gzip answer saves too little to be worth it. */
const MIN_COMPRESSED_BYTES = 1024;

/** Whether an Accept-Encoding header takes gzip (listed, and not with `q=0`). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? "").split(",").some((entry) => {
    const [coding, ...params] = entry.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

/**
 * The answer gzipped when the caller takes it: CloudFront does not compress the API's answers (its
 * behaviour for /v1/* caches nothing, and it compresses only what its cache policy lets it), and
 * API Gateway never does, so a function that answers sizeable JSON compresses it itself.
 */
export function gzipped(
  response: APIGatewayProxyStructuredResultV2,
  acceptEncoding: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  const vary = { ...response.headers, vary: "accept-encoding" };
  if (
    typeof response.body !== "string" ||
    response.isBase64Encoded ||
    Buffer.byteLength(response.body) < MIN_COMPRESSED_BYTES ||
    !acceptsGzip(acceptEncoding)
  ) {
    return { ...response, headers: vary };
  }
  return {
    ...response,
    headers: { ...vary, "content-encoding": "gzip" },
    body: gzipSync(response.body).toString("base64"),
    isBase64Encoded: true,
  };
}
