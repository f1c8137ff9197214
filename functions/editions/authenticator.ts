import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoTokenStore } from "../../shared/adapters/dynamo/token-store";
import type { Authentication, Authenticator } from "../../shared/people/caller";
import type { TokenVerifier } from "../../shared/reports/ports";
import { requiredEnv } from "../runtime";

/**
 * INTEGRATION POINT (docs/editions.md#sign-in): the editions function's Authenticator. The people
 * work (OIDC access tokens and grants) provides the real one; until it is merged this factory
 * answers reader tokens only, so access codes read editions and nobody can write or issue through
 * HTTP (the use cases, the demo and the tests inject their own Authenticator or act directly).
 * Replace the body with the people module's factory; the handler needs no other change.
 */
export function editionsAuthenticatorFromEnv(): Authenticator {
  return readerTokenAuthenticator(new DynamoTokenStore(dynamoClientFromEnv(), requiredEnv("TABLE_NAME")));
}

/** Opaque reader tokens (access codes) as viewers of their scope; anything else 401. */
export function readerTokenAuthenticator(tokens: TokenVerifier): Authenticator {
  return {
    async authenticate(authorization, now): Promise<Authentication> {
      const bearer = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? "")?.[1];
      const token = bearer ? await tokens.verify(bearer, now) : undefined;
      if (!token)
        return {
          ok: false,
          status: 401,
          code: "unauthorized",
          message: "send Authorization: Bearer <token>",
        };
      return { ok: true, caller: { kind: "reader-token", scope: token.scope } };
    },
  };
}
