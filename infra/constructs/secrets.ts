import { RemovalPolicy, SecretValue, Validations } from "aws-cdk-lib";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

/**
 * The webhook sources (`shared/intake/sources.ts`: `[{"id", "secrets": ["whsec_…"], …}]`) live in
 * one Secrets Manager secret, read by the intake function through SOURCES_SECRET_ARN and cached
 * for 5 minutes. The template only ever holds the placeholder `[]` (no sources: every request is
 * refused with 401 until an operator puts the real value, see docs/operations.md#provision-a-source-and-its-secret); the
 * value put later is not touched by further deployments as long as this placeholder stays as is.
 *
 * Reader tokens are not secrets held here: the table keeps only their SHA-256 (`T#{sha256}`), so
 * neither the template, the code nor the database holds a usable token.
 */
export class Secrets extends Construct {
  readonly sources: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.sources = new Secret(this, "Sources", {
      description:
        'Webhook sources of the intake API: a JSON array [{"id","secrets":["whsec_..."],"allowedProvinces"?,"allowedCommunes"?}]',
      // Not a secret: an empty list, valid for the intake (fail closed). A generated random string
      // would not parse, and the intake would answer 500 instead of 401 until provisioned.
      secretStringValue: SecretValue.unsafePlainText("[]"),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.sources).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Webhook secrets are shared with external one-stop systems, which must switch at the same time: rotation is the documented add-new-beside-old then remove-old procedure (several secrets are accepted at once), not a Lambda rotation that would break the senders.",
    });
  }
}
