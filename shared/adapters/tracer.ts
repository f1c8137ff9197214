import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * The one X-Ray tracer of the process (Powertools). It switches itself off outside Lambda (no
 * AWS_EXECUTION_ENV) and with POWERTOOLS_TRACE_ENABLED=false, which the local stack and the tests
 * set: then every call below is a no-op and the SDK clients are returned untouched.
 * Why tracing is on at all: docs/reliability.md, "Error boundary and tracing".
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "onestop" });

/** Annotations are indexed by X-Ray: traces can be searched by them (`annotation.commune = "10621"`). */
export type TraceAnnotations = Partial<Record<"source" | "commune" | "province" | "job", string>>;

/** Annotates the current (handler) segment. */
export function annotate(annotations: TraceAnnotations): void {
  if (!tracer.isTracingEnabled()) return;
  for (const [key, value] of Object.entries(annotations)) {
    if (value !== undefined) tracer.putAnnotation(key, value);
  }
}

/**
 * Runs `work` in a subsegment of its own, annotated: for work done several at a time in one
 * invocation (the report worker's records), whose annotations would overwrite each other on the
 * handler's segment.
 */
export async function traced<T>(
  name: string,
  annotations: TraceAnnotations,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  return (await tracer.provider.captureAsyncFunc(name, async (subsegment) => {
    for (const [key, value] of Object.entries(annotations)) {
      if (value !== undefined) subsegment?.addAnnotation(key, value);
    }
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  })) as T;
}
