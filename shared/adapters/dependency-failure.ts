import { StoreUnavailableError } from "./dynamo/retry";

/** A dependency outside AWS (the identity provider) did not answer: nothing was done, retry later. */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
}

/**
 * Whether an error means "a dependency (DynamoDB, S3, Secrets Manager) did not do what was asked":
 * the store's own retries were exhausted (StoreUnavailableError), or an AWS SDK call failed after
 * the SDK's retries, whether the service answered with an error (throttling, 5xx, access denied)
 * or did not answer at all (connection refused, timeout). The SDK marks every error of a `send`,
 * transport errors included, with `$metadata`. Wrappers (Powertools parameters' GetParameterError)
 * keep the SDK error as `cause`, so the chain of causes is followed.
 */
export function isDependencyFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current instanceof StoreUnavailableError || current instanceof DependencyUnavailableError)
      return true;
    if ("$metadata" in current) return true;
    current = current.cause;
  }
  return false;
}
