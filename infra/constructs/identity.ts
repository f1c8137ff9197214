import { Aws, Duration, Fn, RemovalPolicy } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
} from "aws-cdk-lib/aws-cognito";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

/**
 * A province's own identity provider, federated into the user pool (docs/people.md#connect-a-provinces-single-sign-on),
 * from context values: `onestop:federation` (`oidc` or `saml`), `onestop:federationName`, and for
 * OIDC `onestop:federationIssuer`, `onestop:federationClientId` and `onestop:federationSecretName`
 * (a Secrets Manager secret holding the client secret, created by the operator first); for SAML
 * `onestop:federationMetadataUrl`.
 */
export type Federation =
  | {
      readonly kind: "oidc";
      readonly name: string;
      readonly issuer: string;
      readonly clientId: string;
      readonly secretName: string;
    }
  | { readonly kind: "saml"; readonly name: string; readonly metadataUrl: string };

export interface IdentityProps {
  /** The portal's origin (`https://<distribution domain>`): callback and sign-out URL. */
  readonly portalOrigin: string;
  /** The managed login domain prefix; default `onestop-<account id>`. */
  readonly domainPrefix?: string;
  readonly federation?: Federation;
}

/** The managed login domain prefix: the one given, else `onestop-<account id>`. */
export function loginDomainPrefix(domainPrefix?: string): string {
  return domainPrefix ?? Fn.join("-", ["onestop", Aws.ACCOUNT_ID]);
}

/**
 * The origins the portal's page calls when people sign in (its CSP's connect-src,
 * docs/portal.md#signing-in): the pool's issuer (discovery) and the managed login domain (the
 * token endpoint). Known before the pool exists, so the distribution can send them.
 */
export function identityProviderOrigins(domainPrefix?: string): string[] {
  return [
    Fn.join("", ["https://cognito-idp.", Aws.REGION, ".amazonaws.com"]),
    Fn.join("", ["https://", loginDomainPrefix(domainPrefix), ".auth.", Aws.REGION, ".amazoncognito.com"]),
  ];
}

/** What the portal asks for; `email` lets the API bind a grant from the userinfo endpoint. */
export const PORTAL_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE];

/**
 * People sign in here (docs/people.md#in-aws): a Cognito user pool with its managed login pages,
 * no self sign-up, TOTP required for every password sign-in, threat protection enforced (Plus
 * plan), deletion protection; an app client for the portal (public: authorization code with PKCE,
 * no secret), optionally a province's own provider. The API verifies the pool's access tokens
 * (OIDC_ISSUER = the pool's issuer URL, OIDC_CLIENT_ID = the client); grants stay in the table.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of its tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, "People", {
      userPoolName: "onestop-people",
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.issuer = this.userPool.userPoolProviderUrl;

    const providers = [UserPoolClientIdentityProvider.COGNITO];
    const federated = props.federation ? this.federate(props.federation) : undefined;
    if (federated) providers.push(UserPoolClientIdentityProvider.custom(federated.providerName));

    const home = `${props.portalOrigin}/`;
    this.client = this.userPool.addClient("Portal", {
      userPoolClientName: "onestop-portal",
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: PORTAL_SCOPES,
        callbackUrls: [home],
        logoutUrls: [home],
      },
      supportedIdentityProviders: providers,
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    if (federated) this.client.node.addDependency(federated);

    this.domain = this.userPool.addDomain("Login", {
      cognitoDomain: { domainPrefix: loginDomainPrefix(props.domainPrefix) },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login pages need a style for the client: Cognito's own.
    new CfnManagedLoginBranding(this, "Branding", {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  private federate(federation: Federation) {
    if (federation.kind === "oidc") {
      const secret = Secret.fromSecretNameV2(this, "FederationClientSecret", federation.secretName);
      return new UserPoolIdentityProviderOidc(this, "Federation", {
        userPool: this.userPool,
        name: federation.name,
        issuerUrl: federation.issuer,
        clientId: federation.clientId,
        // A dynamic reference resolved by CloudFormation at deploy time: never in the template.
        clientSecret: secret.secretValue.unsafeUnwrap(),
        scopes: ["openid", "email", "profile"],
        attributeMapping: {
          email: ProviderAttribute.other("email"),
          emailVerified: ProviderAttribute.other("email_verified"),
          fullname: ProviderAttribute.other("name"),
        },
      });
    }
    return new UserPoolIdentityProviderSaml(this, "Federation", {
      userPool: this.userPool,
      name: federation.name,
      metadata: UserPoolIdentityProviderSamlMetadata.url(federation.metadataUrl),
      attributeMapping: {
        email: ProviderAttribute.other("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
        fullname: ProviderAttribute.other("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"),
      },
    });
  }
}

/** The federation from the context values, or undefined when `onestop:federation` is not set. */
export function federationFromContext(scope: Construct): Federation | undefined {
  const get = (name: string) => {
    const value = scope.node.tryGetContext(`onestop:${name}`);
    return value === undefined || value === "" ? undefined : String(value);
  };
  const kind = get("federation");
  if (kind === undefined) return undefined;
  const need = (name: string) => {
    const value = get(name);
    if (!value) throw new Error(`onestop:federation=${kind} needs onestop:${name}`);
    return value;
  };
  const name = need("federationName");
  if (!/^[\w.-]{1,32}$/.test(name)) throw new Error("onestop:federationName: 1–32 letters, digits, . _ -");
  if (kind === "oidc") {
    return {
      kind,
      name,
      issuer: need("federationIssuer"),
      clientId: need("federationClientId"),
      secretName: need("federationSecretName"),
    };
  }
  if (kind === "saml") return { kind, name, metadataUrl: need("federationMetadataUrl") };
  throw new Error(`onestop:federation must be oidc or saml, got ${kind}`);
}
