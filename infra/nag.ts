import { type CfnElement, Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * How cdk-nag names a resource built on another resource's ARN in an IAM5 finding:
 * `Resource::<LogicalId.Arn>/reports/*`. cdk-nag v3 acknowledges each finding by its exact id,
 * which holds the logical id, so it is computed rather than spelled.
 */
export function arnFinding(target: IConstruct, suffix: string): string {
  const element = target.node.defaultChild as CfnElement;
  return `Resource::<${Stack.of(target).getLogicalId(element)}.Arn>${suffix}`;
}

/** Acknowledges one AwsSolutions-IAM5 finding (a wildcard in a resource) on `scope`, with its reason. */
export function acknowledgeWildcard(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
}
