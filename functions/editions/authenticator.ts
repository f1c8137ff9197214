import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { authenticatorFromEnv } from "../../shared/adapters/people-from-env";
import type { Authentication, Authenticator } from "../../shared/people/caller";
import type { TokenVerifier } from "../../shared/reports/ports";
import { requiredEnv } from "../runtime";

/**
 * The editions function's Authenticator (docs/editions.md#sign-in): the people module's, built from
 * the environment (people's access tokens of OIDC_ISSUER with their grants, and reader tokens, which
 * only read). Without OIDC_ISSUER it answers reader tokens only, so nobody writes or issues.
 */
export function editionsAuthenticatorFromEnv(): Authenticator {
  return authenticatorFromEnv(dynamoClientFromEnv(), requiredEnv("TABLE_NAME"));
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
