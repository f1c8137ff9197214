import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from "aws-cdk-lib/aws-s3";

/**
 * What every bucket of the stack is: private (all public access blocked, ACLs disabled), HTTPS
 * only, encrypted at rest with SSE-S3 (the only encryption server access logging delivers to). A
 * bucket that must take ACLs (CloudFront's standard logs) overrides `objectOwnership`.
 */
export const PRIVATE_BUCKET = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: BucketEncryption.S3_MANAGED,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
} as const satisfies BucketProps;
