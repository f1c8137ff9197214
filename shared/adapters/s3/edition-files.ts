import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { IssuedFile } from "../../editions/edition";
import type { EditionFileStore } from "../../editions/ports";
import { CONTENT_TYPES, type ReportFile } from "../../reports/ports";
import { MAX_LINK_SECONDS } from "./report-store";

/**
 * Files of report editions in the reports bucket (docs/editions.md#freezing):
 *
 *   editions/issued/{unit}/{periodKey}/e{edition}-r{revision}-{attempt}/{name}   frozen at an issue
 *   editions/previews/{unit}/{periodKey}/{random}.{docx|xlsx|zip}               previews, bundles, exports (expire)
 *
 * Issued files are written with `If-None-Match: *` (S3 conditional writes): S3 refuses to replace
 * an object, so a key once written holds the same bytes forever. Each issue attempt has its own
 * `{attempt}` id, so a retried or concurrent issue never even tries to write a key twice; only the
 * attempt whose transaction commits is referenced by the edition. s3rver (the local stand-in)
 * ignores `If-None-Match` on PUT: locally the guarantee rests on the unique keys alone
 * (docs/editions.md#s3-conditional-writes).
 */
export const EDITIONS_PREFIX = "editions/";
export const ISSUED_PREFIX = `${EDITIONS_PREFIX}issued/`;
export const PREVIEWS_PREFIX = `${EDITIONS_PREFIX}previews/`;

export class IssuedObjectExistsError extends Error {
  override name = "IssuedObjectExistsError";
}

export class S3EditionFileStore implements EditionFileStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Days each issued file is held in Object Lock governance mode (AWS with `onestop:issuedObjectLock`). */
    private readonly retentionDays?: number,
  ) {}

  async putOnce(key: string, file: ReportFile, downloadName: string): Promise<IssuedFile> {
    if (!key.startsWith(ISSUED_PREFIX)) throw new Error(`an issued file belongs under ${ISSUED_PREFIX}`);
    try {
      await this.s3.send(this.put(key, file, downloadName));
    } catch (error) {
      // 412: the key exists. It never should (keys are unique per attempt): a defect, never success.
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) {
        throw new IssuedObjectExistsError(`refused to write ${key} twice`);
      }
      throw error;
    }
    const sha256 = createHash("sha256").update(file.body).digest("hex");
    return { format: file.format, key, sha256, size: file.body.byteLength };
  }

  async putTemporary(key: string, body: Buffer, contentType: string, downloadName: string): Promise<void> {
    if (!key.startsWith(PREVIEWS_PREFIX))
      throw new Error(`a temporary file belongs under ${PREVIEWS_PREFIX}`);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.byteLength,
        ContentType: contentType,
        ContentDisposition: `attachment; filename="${downloadName}"`,
      }),
    );
  }

  async presign(key: string, seconds: number, now: Date): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: Math.max(1, Math.min(MAX_LINK_SECONDS, Math.floor(seconds))),
      signingDate: now,
    });
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  private put(key: string, file: ReportFile, downloadName: string): PutObjectCommand {
    return new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: file.body,
      ContentLength: file.body.byteLength,
      ContentType: CONTENT_TYPES[file.format],
      ContentDisposition: `attachment; filename="${downloadName}"`,
      IfNoneMatch: "*",
      ...(this.retentionDays
        ? {
            ObjectLockMode: "GOVERNANCE",
            ObjectLockRetainUntilDate: new Date(Date.now() + this.retentionDays * 86_400_000),
          }
        : {}),
    });
  }
}
