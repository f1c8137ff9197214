import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAuthenticator } from "../people/authenticate";
import type { Authenticator } from "../people/caller";
import { DynamoGrantLookup } from "./dynamo/grant-store";
import { DynamoTokenStore } from "./dynamo/token-store";
import { JoseAccessTokenVerifier, type OidcSettings, oidcSettingsFromEnv } from "./oidc/access-tokens";

/**
 * The Authenticator of any handler that reads a person (docs/people.md#configuration): people's
 * access tokens of OIDC_ISSUER (OIDC_CLIENT_ID, OIDC_AUDIENCE optional), their grants and the
 * reader tokens in the table. Without OIDC_ISSUER, reader tokens only. Build it once per container:
 * the JWKS cache lives in it.
 *
 *   const authenticator = authenticatorFromEnv(dynamo, requiredEnv("TABLE_NAME"));
 *   const answer = await authenticator.authenticate(headerValue(event.headers, "authorization"), now);
 */
export function authenticatorFromEnv(
  dynamo: DynamoDBClient,
  tableName: string,
  env: NodeJS.ProcessEnv = process.env,
): Authenticator {
  const settings = oidcSettingsFromEnv(env);
  const readerTokens = new DynamoTokenStore(dynamo, tableName);
  if (!settings) return createAuthenticator({ readerTokens });
  return createAuthenticator({
    readerTokens,
    accessTokens: new JoseAccessTokenVerifier(settings),
    grants: new DynamoGrantLookup(dynamo, tableName),
  });
}

export type { OidcSettings };
export { oidcSettingsFromEnv };
