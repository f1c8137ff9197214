import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { PeriodSpec } from "../../domain/calendar";
import { COMMUNE_CODE_PATTERN } from "../../domain/unit-codes";
import {
  CONTENT_TYPES,
  type PresignedLink,
  type ReportFile,
  type ReportFormat,
  type ReportStore,
  type ReportTarget,
  type StoredReport,
} from "../../reports/ports";

/**
 * Object layout of the reports bucket:
 *
 *   reports/{year}/{provinceCode}/{communeCode}/{period}.{json|xlsx|docx}   a commune's report
 *   reports/{year}/{provinceCode}/province-{period}.{json|xlsx}            a province roll-up
 *
 * `{period}` is `year`, `six-months`, `nine-months`, `q1`…`q4` or `m01`…`m12` (reporting year and
 * months of Decree 09/2019). A year-to-date report is the year's report built before the year closed
 * (its JSON says `period.asOf`): it lives at the year's key and the closed-year build replaces it.
 * The province code is the one the registry gives for the period. Rebuilding overwrites the objects.
 */
export const REPORTS_PREFIX = "reports";
export const DEFAULT_LINK_SECONDS = 15 * 60;
/** SigV4 presigned URLs live at most 7 days. */
export const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;

/** `year`, `six-months`, `nine-months`, `q1`, `m03`. */
export function periodSlug(period: PeriodSpec): string {
  switch (period.kind) {
    case "year":
    case "six-months":
    case "nine-months":
      return period.kind;
    case "quarter":
      return `q${period.quarter}`;
    case "month":
      return `m${String(period.month).padStart(2, "0")}`;
  }
}

/** The key prefix of a report's objects (append the extension). */
export function reportKeyBase(target: ReportTarget): string {
  const slug = periodSlug(target.period);
  const dir = `${REPORTS_PREFIX}/${target.period.year}/${target.provinceCode}`;
  return target.kind === "commune" ? `${dir}/${target.communeCode}/${slug}` : `${dir}/province-${slug}`;
}

export function reportKey(target: ReportTarget, format: ReportFormat): string {
  return `${reportKeyBase(target)}.${format}`;
}

/** The file name a browser saves: `bao-cao-10621-2023.docx`, `tong-hop-30-2023-q1.xlsx`. */
export function downloadName(target: ReportTarget, format: ReportFormat): string {
  const slug = periodSlug(target.period);
  const suffix = slug === "year" ? "" : `-${slug}`;
  const stem =
    target.kind === "commune"
      ? `bao-cao-${target.communeCode}-${target.period.year}${suffix}`
      : `tong-hop-${target.provinceCode}-${target.period.year}${suffix}`;
  return `${stem}.${format}`;
}

const FORMAT_ORDER: ReportFormat[] = ["json", "xlsx", "docx"];

export class S3ReportStore implements ReportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async save(target: ReportTarget, files: ReportFile[]): Promise<StoredReport[]> {
    return Promise.all(
      files.map(async ({ format, body }) => {
        const key = reportKey(target, format);
        // A Buffer body with a known length: no aws-chunked encoding (the client sends checksums
        // only WHEN_REQUIRED), which s3rver and every S3-compatible store accept.
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentLength: body.byteLength,
            ContentType: CONTENT_TYPES[format],
            ContentDisposition: `attachment; filename="${downloadName(target, format)}"`,
          }),
        );
        return { format, key, size: body.byteLength };
      }),
    );
  }

  async list(target: ReportTarget): Promise<StoredReport[]> {
    const base = reportKeyBase(target);
    const found: StoredReport[] = [];
    for await (const object of this.objects(`${base}.`)) {
      const format = object.key.slice(base.length + 1) as ReportFormat;
      if (!FORMAT_ORDER.includes(format)) continue;
      found.push({ format, key: object.key, lastModified: object.lastModified, size: object.size });
    }
    return found.sort((a, b) => FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format));
  }

  async presign(stored: StoredReport, expiresInSeconds: number, now: Date): Promise<PresignedLink> {
    const seconds = Math.max(1, Math.min(MAX_LINK_SECONDS, Math.floor(expiresInSeconds)));
    const url = await getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: stored.key }), {
      expiresIn: seconds,
      signingDate: now,
    });
    let expires = now.getTime() + seconds * 1000;
    // A URL signed with temporary credentials (a Lambda role) stops working when they expire.
    const credentials = await this.credentialsExpiration();
    if (credentials !== undefined && credentials < expires) expires = credentials;
    return { format: stored.format, url, expiresAt: new Date(expires).toISOString() };
  }

  async builtCommunes(provinceCode: string, period: PeriodSpec): Promise<Map<string, Date>> {
    const dir = `${REPORTS_PREFIX}/${period.year}/${provinceCode}/`;
    const suffix = `/${periodSlug(period)}.json`;
    const built = new Map<string, Date>();
    for await (const object of this.objects(dir)) {
      if (!object.key.endsWith(suffix)) continue;
      const commune = object.key.slice(dir.length, object.key.length - suffix.length);
      if (COMMUNE_CODE_PATTERN.test(commune)) built.set(commune, object.lastModified ?? new Date(0));
    }
    return built;
  }

  private async *objects(
    prefix: string,
  ): AsyncGenerator<{ key: string; lastModified?: Date; size?: number }> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) yield { key: object.Key, lastModified: object.LastModified, size: object.Size };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async credentialsExpiration(): Promise<number | undefined> {
    try {
      const provider = this.s3.config.credentials;
      const identity = typeof provider === "function" ? await provider() : provider;
      return identity?.expiration?.getTime();
    } catch {
      return undefined;
    }
  }
}
