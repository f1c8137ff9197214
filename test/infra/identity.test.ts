import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, describe, expect, it } from "vitest";
import { federationFromContext } from "../../infra/constructs/identity";
import { OneStopStack } from "../../infra/stack";

/**
 * People in AWS (docs/people.md#in-aws): the Cognito user pool, its managed login, the portal's
 * client, the optional federation with a province's provider, what the functions get. Functions are
 * not bundled here (`aws:cdk:bundling-stacks: []`): test/infra/stack.test.ts checks the bundles.
 */
const WEB_ASSETS = mkdtempSync(path.join(os.tmpdir(), "portal-dist-"));
mkdirSync(path.join(WEB_ASSETS, "assets"));
writeFileSync(path.join(WEB_ASSETS, "index.html"), "<!doctype html>");
afterAll(() => rmSync(WEB_ASSETS, { recursive: true, force: true }));

function synth(context: Record<string, string> = {}) {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [], ...context } });
  const stack = new OneStopStack(app, "OneStopReports", { webAssets: WEB_ASSETS });
  return { app, stack, template: Template.fromStack(stack) };
}

const plain = synth();
const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type));

describe("the user pool", () => {
  it("has no self sign-up, TOTP required (no SMS), strong passwords, threat protection and deletion protection", () => {
    plain.template.hasResource("AWS::Cognito::UserPool", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: "ON",
        EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
        DeletionProtection: "ACTIVE",
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
        UsernameAttributes: ["email"],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      }),
    });
  });

  it("has managed login on its own domain, styled for the portal's client", () => {
    plain.template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      ManagedLoginVersion: 2,
      Domain: { "Fn::Join": ["-", ["onestop", { Ref: "AWS::AccountId" }]] },
    });
    plain.template.hasResourceProperties("AWS::Cognito::ManagedLoginBranding", {
      UseCognitoProvidedValues: true,
    });
    const custom = synth({ "onestop:loginDomainPrefix": "onestop-haiduong" });
    custom.template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "onestop-haiduong" });
  });

  it("has a public portal client: code flow only, no secret, the portal's origin as callback and sign-out", () => {
    const origin = {
      "Fn::Join": [
        "",
        ["https://", { "Fn::GetAtt": [Match.stringLikeRegexp("^PortalDistribution"), "DomainName"] }, "/"],
      ],
    };
    plain.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [origin],
      LogoutURLs: [origin],
      SupportedIdentityProviders: ["COGNITO"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: true,
      AccessTokenValidity: 15,
    });
    const withDomain = synth({
      "onestop:portalDomain": "baocao.haiduong.gov.vn",
      "onestop:portalCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/abc",
    });
    withDomain.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      CallbackURLs: ["https://baocao.haiduong.gov.vn/"],
    });
  });
});

describe("the portal's page", () => {
  it("may fetch from Cognito's issuer and login domain (discovery, tokens), and from nowhere else", () => {
    const [policy] = resourcesOf(plain.template, "AWS::CloudFront::ResponseHeadersPolicy");
    const csp = policy![1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
    const text = JSON.stringify(csp.ContentSecurityPolicy);
    expect(text).toContain("connect-src 'self' https://cognito-idp.");
    expect(text).toContain(".amazoncognito.com");
    expect(text).toMatch(/"onestop",\{"Ref":"AWS::AccountId"\}/);
    const custom = synth({ "onestop:loginDomainPrefix": "onestop-haiduong" }).template;
    expect(JSON.stringify(custom.toJSON())).toContain("https://onestop-haiduong.auth.");
  });
});

describe("the functions that read people", () => {
  const functions = resourcesOf(plain.template, "AWS::Lambda::Function").map(([, f]) => f.Properties);
  const byDescription = (prefix: string) => functions.find((p) => String(p.Description).startsWith(prefix))!;

  it("links and people get the pool's issuer and the portal's client id, no other function does", () => {
    for (const prefix of ["Report links", "People"]) {
      const env = byDescription(prefix).Environment.Variables;
      expect(env.OIDC_ISSUER["Fn::GetAtt"]?.[1] ?? env.OIDC_ISSUER).toBeDefined();
      expect(JSON.stringify(env.OIDC_ISSUER)).toContain("ProviderURL");
      expect(env.OIDC_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^IdentityPeoplePortal/) });
    }
    const others = functions.filter((p) => p.Environment?.Variables?.OIDC_ISSUER === undefined);
    expect(others.length).toBeGreaterThanOrEqual(4);
  });

  it("people tell the portal to sign out at the managed login's /logout, back to the client's one logout URL", () => {
    for (const { template, portal } of [
      { template: plain.template, portal: undefined },
      {
        template: synth({
          "onestop:portalDomain": "baocao.haiduong.gov.vn",
          "onestop:portalCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/abc",
        }).template,
        portal: "baocao.haiduong.gov.vn",
      },
    ]) {
      const props = resourcesOf(template, "AWS::Lambda::Function").map(([, f]) => f.Properties);
      const people = props.find((p) => String(p.Description).startsWith("People"))!;
      const [, parts] = people.Environment.Variables.OIDC_LOGOUT_URL["Fn::Join"] as [string, unknown[]];
      const [client] = resourcesOf(template, "AWS::Cognito::UserPoolClient");
      const [domain] = resourcesOf(template, "AWS::Cognito::UserPoolDomain");
      // The URL with its tokens named, and the logout_uri decoded: what Cognito compares.
      const url = parts
        .map((part) =>
          typeof part === "string"
            ? part
            : JSON.stringify(part) === JSON.stringify({ Ref: client![0] })
              ? "<client>"
              : JSON.stringify(part) === JSON.stringify({ Ref: domain![0] })
                ? "<domain>"
                : `<${JSON.stringify(part)}>`,
        )
        .join("");
      expect(url).toMatch(
        /^https:\/\/<domain>\.auth\.<\{"Ref":"AWS::Region"\}>\.amazoncognito\.com\/logout\?client_id=<client>&logout_uri=[^&]+$/,
      );
      const logoutUri = decodeURIComponent(url.split("&logout_uri=")[1]!);
      const [logoutUrl] = client![1].Properties.LogoutURLs as unknown[];
      const expected =
        typeof logoutUrl === "string"
          ? logoutUrl
          : (logoutUrl as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1]
              .map((p) => (typeof p === "string" ? p : `<${JSON.stringify(p)}>`))
              .join("");
      expect(logoutUri).toBe(expected);
      if (portal) expect(logoutUri).toBe(`https://${portal}/`);
      else
        expect(logoutUri).toMatch(
          /^https:\/\/<\{"Fn::GetAtt":\["PortalDistribution\w+","DomainName"\]\}>\/$/,
        );
    }
    const others = functions.filter(
      (p) =>
        p.Environment?.Variables?.OIDC_LOGOUT_URL !== undefined &&
        !String(p.Description).startsWith("People"),
    );
    expect(others).toEqual([]);
  });

  it("write only people items: grants and audit records put, grants alone updated or deleted, links only binds", () => {
    const policies = resourcesOf(plain.template, "AWS::IAM::Policy").map(
      ([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
    );
    const statements = policies.flat();
    const writes = statements.filter((s) =>
      ([] as string[])
        .concat(s.Action as string)
        .some((a) => /dynamodb:(PutItem|UpdateItem|DeleteItem)/.test(a)),
    );
    const keysOf = (s: Record<string, unknown>) =>
      (s.Condition as { "ForAllValues:StringLike"?: { "dynamodb:LeadingKeys": string[] } } | undefined)?.[
        "ForAllValues:StringLike"
      ]?.["dynamodb:LeadingKeys"];
    const peopleWrites = writes.filter((s) => keysOf(s) !== undefined);
    expect(peopleWrites.map((s) => [s.Action, keysOf(s)])).toEqual(
      expect.arrayContaining([
        ["dynamodb:PutItem", ["G#*", "AU#*"]],
        [["dynamodb:UpdateItem", "dynamodb:DeleteItem"], ["G#*"]],
        [["dynamodb:PutItem", "dynamodb:UpdateItem"], ["G#*"]],
      ]),
    );
    // No statement lets anything update or delete an audit record.
    for (const s of statements) {
      const actions = ([] as string[]).concat(s.Action as string);
      if (actions.some((a) => a === "dynamodb:UpdateItem" || a === "dynamodb:DeleteItem")) {
        expect(keysOf(s) ?? [], JSON.stringify(s)).not.toContain("AU#*");
      }
    }
  });
});

describe("federation with a province's provider", () => {
  it("is off by default: no identity provider, the pool's own sign-in only", () => {
    expect(resourcesOf(plain.template, "AWS::Cognito::UserPoolIdentityProvider")).toHaveLength(0);
  });

  it("OIDC: from context values, its client secret read from Secrets Manager at deploy time, offered to the portal", () => {
    const { template } = synth({
      "onestop:federation": "oidc",
      "onestop:federationName": "HaiDuongSSO",
      "onestop:federationIssuer": "https://sso.haiduong.gov.vn/realms/officials",
      "onestop:federationClientId": "onestop",
      "onestop:federationSecretName": "onestop/federation/haiduong",
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      ProviderName: "HaiDuongSSO",
      ProviderType: "OIDC",
      ProviderDetails: Match.objectLike({
        client_id: "onestop",
        oidc_issuer: "https://sso.haiduong.gov.vn/realms/officials",
        authorize_scopes: "openid email profile",
        client_secret: {
          "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp("^\\{\\{resolve:secretsmanager:")])],
        },
      }),
      AttributeMapping: Match.objectLike({ email: "email", email_verified: "email_verified" }),
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      // The provider's Ref is its name, and makes the client wait for it.
      SupportedIdentityProviders: ["COGNITO", { Ref: Match.stringLikeRegexp("^IdentityFederation") }],
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"client_secret":\s*"[^{]/);
  });

  it("SAML: from the metadata URL, the e-mail mapped from the standard claim", () => {
    const { template } = synth({
      "onestop:federation": "saml",
      "onestop:federationName": "HaiDuongSAML",
      "onestop:federationMetadataUrl": "https://sso.haiduong.gov.vn/saml/metadata",
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      ProviderName: "HaiDuongSAML",
      ProviderType: "SAML",
      ProviderDetails: Match.objectLike({ MetadataURL: "https://sso.haiduong.gov.vn/saml/metadata" }),
      AttributeMapping: Match.objectLike({
        email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
      }),
    });
  });

  it("refuses incomplete or unknown context values with the name of what is missing", () => {
    const context = (values: Record<string, string>) => new App({ context: values });
    expect(() =>
      federationFromContext(context({ "onestop:federation": "oidc", "onestop:federationName": "X" })),
    ).toThrow(/onestop:federationIssuer/);
    expect(() =>
      federationFromContext(context({ "onestop:federation": "ldap", "onestop:federationName": "X" })),
    ).toThrow(/oidc or saml/);
    expect(federationFromContext(context({}))).toBeUndefined();
  });

  it("keeps cdk-nag's AWS Solutions checks clean with a federation too", () => {
    const { app, stack } = synth({
      "onestop:federation": "oidc",
      "onestop:federationName": "HaiDuongSSO",
      "onestop:federationIssuer": "https://sso.haiduong.gov.vn",
      "onestop:federationClientId": "onestop",
      "onestop:federationSecretName": "onestop/federation/haiduong",
    });
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
  });
});
