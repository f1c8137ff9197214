/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): one stack, checked by cdk-nag's AWS Solutions
 * rules. Environment-agnostic: no account or region is looked up at synth time (synth works offline,
 * without credentials); the stack deploys to the account and region of the deploying credentials.
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ensureWebBuilt } from "../local/web-build";
import { OneStopStack } from "./stack";

// The portal's files are deployed from web/dist: build them when missing or older than the sources.
ensureWebBuilt();
const app = new App();
new OneStopStack(app, "OneStopReports", {
  description: "One-stop reports: signed webhook intake, DynamoDB aggregates, scheduled commune reports",
  analyticsReporting: false,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
