import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { contributionOf } from "../../domain/contribution";
import { type Contribution, difference, parseAggregateKey } from "../../domain/counters";
import {
  canonicalKey,
  type Event,
  MAX_EVENTS_PER_DOSSIER,
  type SubjectRef,
  sortCanonically,
} from "../../domain/events";
import { type Listing, listingsOf } from "../../domain/listings";
import {
  effectiveDetails,
  evolve,
  initialState,
  isIncomplete,
  type SubjectState,
} from "../../domain/subject-state";
import type { StoredEvent, StoreOutcome, SubjectBatch, SubjectStore } from "../../intake/ports";
import { mapLimited } from "../../map-limited";
import { INCOMPLETE_INDEX } from "../table";
import { batchGetItems, sendWithRetry } from "./batch-get";
import { keys } from "./keys";
import {
  backoffDelay,
  defaultRetryPolicy,
  isTransient,
  type RetryPolicy,
  StoreUnavailableError,
} from "./retry";
import { estimatedWriteUnits } from "./write-units";

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** Events of one subject committed together at most; more go in further transactions. */
const MAX_EVENTS_PER_TRANSACTION = 40;

interface Head {
  exists: boolean;
  version: number;
  state: SubjectState;
  /** id → content hash of every event the subject holds. */
  events: Map<string, string>;
  /** Canonical key of the last event in canonical order: later events fold from `state`. */
  last: string;
}

export interface StoreObserver {
  /**
   * A committed transaction: the write units DynamoDB reported, the units AWS's documented rule
   * gives for its items, and how many events it applied.
   */
  committed?(reportedUnits: number, events: number, estimatedUnits: number): void;
  /** A transaction that lost a race or met throttling, before it is retried. */
  retried?(reason: string): void;
}

/**
 * The exactly-once commit (docs/architecture.md#exactly-once-aggregates): read the subject's head, fold, and write in one
 * TransactWriteItems the new events (only if absent), the head (only if its version is the one
 * read) and the difference of the subject's contribution on every aggregate it touches. A lost race
 * re-reads and tries again; a duplicate can never be counted twice, because its event item exists.
 */
export class DynamoSubjectStore implements SubjectStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
    private readonly observer: StoreObserver = {},
    /** Subjects committed at once by `applyAll`: each is its own transaction. */
    private readonly concurrency = 16,
  ) {}

  /**
   * Applies the events of many subjects: their heads (and, where events arrive out of order, their
   * histories) are fetched in a few batch reads, then each subject commits on its own, at most
   * `concurrency` at once. Every subject is tried; the first failure is thrown after.
   */
  async applyAll(sourceId: string, batches: readonly SubjectBatch[]): Promise<Map<string, StoreOutcome>> {
    const heads = await this.readHeads(
      sourceId,
      batches.map((batch) => batch.subject),
    );
    const replayIds = batches.flatMap(({ subject, events }) => {
      const head = heads.get(keys.head(sourceId, subject).pk)!;
      return sortsAfter(head, events) ? [] : [...head.events.keys()];
    });
    const history = new Map((await this.readEvents(sourceId, replayIds)).map((event) => [event.id, event]));

    const outcomes = new Map<string, StoreOutcome>();
    const failures: unknown[] = [];
    await mapLimited(batches, this.concurrency, async ({ subject, events }) => {
      const head = heads.get(keys.head(sourceId, subject).pk)!;
      try {
        for (const [id, outcome] of await this.apply(sourceId, subject, events, { head, history })) {
          outcomes.set(id, outcome);
        }
      } catch (error) {
        failures.push(error);
      }
    });
    if (failures.length > 0) throw failures[0];
    return outcomes;
  }

  /** Applies one subject's events; `prefetched` stands in for the first read of its head and history. */
  async apply(
    sourceId: string,
    subject: SubjectRef,
    events: readonly StoredEvent[],
    prefetched?: { head: Head; history: Map<string, Event> },
  ): Promise<Map<string, StoreOutcome>> {
    const outcomes = new Map<string, StoreOutcome>();
    let pending = [...events];
    let failures = 0;
    let prefetchedHead = prefetched?.head;
    while (pending.length > 0) {
      const head = prefetchedHead ?? (await this.readHead(sourceId, subject));
      prefetchedHead = undefined;
      const fresh: StoredEvent[] = [];
      for (const stored of pending) {
        const known = head.events.get(stored.event.id);
        if (known !== undefined)
          outcomes.set(stored.event.id, known === stored.hash ? "duplicate" : "id_conflict");
        // Past the bound the head would outgrow DynamoDB's item size limit (events.ts).
        else if (head.events.size + fresh.length >= MAX_EVENTS_PER_DOSSIER)
          outcomes.set(stored.event.id, "dossier_limit");
        else fresh.push(stored);
      }
      if (fresh.length === 0) break;

      const attempt = await this.tryCommit(
        sourceId,
        subject,
        head,
        fresh.slice(0, MAX_EVENTS_PER_TRANSACTION),
        prefetched?.history,
      );
      if (attempt.kind === "committed") {
        for (const id of attempt.ids) outcomes.set(id, "applied");
        failures = 0;
      } else if (attempt.kind === "known") {
        // Another subject (or a concurrent request) already holds these ids.
        for (const [id, outcome] of attempt.outcomes) outcomes.set(id, outcome);
      } else {
        failures += 1;
        this.observer.retried?.(attempt.reason);
        if (failures >= this.retry.maxAttempts) {
          throw new StoreUnavailableError(`gave up after ${failures} attempts: ${attempt.reason}`);
        }
        await this.retry.sleep(backoffDelay(this.retry, failures));
      }
      pending = pending.filter((stored) => !outcomes.has(stored.event.id));
    }
    return outcomes;
  }

  private async tryCommit(
    sourceId: string,
    subject: SubjectRef,
    head: Head,
    batch: StoredEvent[],
    history?: Map<string, Event>,
  ): Promise<
    | { kind: "committed"; ids: string[] }
    | { kind: "known"; outcomes: Map<string, StoreOutcome> }
    | { kind: "retry"; reason: string }
  > {
    let chunk = batch;
    for (;;) {
      const state = await this.nextState(sourceId, head, chunk, history);
      const diff = difference(contributionOf(state), contributionOf(head.state));
      if (chunk.length + 1 + diff.size > MAX_TRANSACTION_ITEMS && chunk.length > 1) {
        chunk = chunk.slice(0, Math.ceil(chunk.length / 2));
        continue;
      }
      const items = this.transactionItems(sourceId, subject, head, chunk, state, diff);
      if (items.length > MAX_TRANSACTION_ITEMS && chunk.length > 1) {
        chunk = chunk.slice(0, Math.ceil(chunk.length / 2));
        continue;
      }
      try {
        const result = await this.client.send(
          new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: "TOTAL" }),
        );
        const units = (result.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        this.observer.committed?.(units, chunk.length, estimatedWriteUnits(items));
        return { kind: "committed", ids: chunk.map((stored) => stored.event.id) };
      } catch (error) {
        return this.explainFailure(error, chunk);
      }
    }
  }

  /** Fold the new events into the head's state when they all sort after it; otherwise replay every event. */
  private async nextState(
    sourceId: string,
    head: Head,
    chunk: StoredEvent[],
    prefetched?: Map<string, Event>,
  ): Promise<SubjectState> {
    const incoming = chunk.map((stored) => stored.event);
    if (sortsAfter(head, chunk)) return sortCanonically(incoming).reduce(evolve, head.state);
    const ids = [...head.events.keys()];
    const history = ids.every((id) => prefetched?.has(id))
      ? ids.map((id) => prefetched!.get(id)!)
      : await this.readEvents(sourceId, ids);
    return sortCanonically([...history, ...incoming]).reduce(evolve, initialState(head.state.kind));
  }

  private transactionItems(
    sourceId: string,
    subject: SubjectRef,
    head: Head,
    chunk: StoredEvent[],
    state: SubjectState,
    diff: Contribution,
  ): TransactWriteItem[] {
    const TableName = this.tableName;
    const headKey = keys.head(sourceId, subject);
    const items: TransactWriteItem[] = chunk.map(({ event, hash }) => ({
      Put: {
        TableName,
        Item: marshall({
          ...keys.event(sourceId, event.id),
          h: hash,
          s: headKey.pk,
          e: JSON.stringify(event),
        }),
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    }));

    const allEvents = new Map(head.events);
    for (const { event, hash } of chunk) allEvents.set(event.id, hash);
    const lastKey = [head.last, ...chunk.map(({ event }) => canonicalKey(event))].sort().at(-1)!;
    const headItem: Record<string, unknown> = {
      ...headKey,
      v: head.version + 1,
      st: JSON.stringify(state),
      ev: JSON.stringify([...allEvents]),
      last: lastKey,
    };
    if (isIncomplete(state)) {
      headItem[INCOMPLETE_INDEX.partitionKey] = keys.incompletePartition(sourceId);
      headItem[INCOMPLETE_INDEX.sortKey] = headKey.pk;
    }
    items.push({
      Put: {
        TableName,
        Item: marshall(headItem),
        ConditionExpression: head.exists ? "v = :v" : "attribute_not_exists(pk)",
        ExpressionAttributeValues: head.exists ? marshall({ ":v": head.version }) : undefined,
      },
    });

    items.push(...this.listingChanges(sourceId, subject, listingsOf(head.state), listingsOf(state)));

    const details = state.kind === "dossier" ? effectiveDetails(state) : undefined;
    for (const [key, counters] of diff) {
      const address = parseAggregateKey(key);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const adds = Object.entries(counters).map(([name, value], i) => {
        names[`#c${i}`] = name;
        values[`:c${i}`] = value;
        return `#c${i} :c${i}`;
      });
      let expression = `ADD ${adds.join(", ")}`;
      if (details?.fieldName && details.fieldCode === address.fieldCode) {
        expression += " SET fieldName = :fieldName";
        values[":fieldName"] = details.fieldName;
      }
      items.push({
        Update: {
          TableName,
          Key: marshall(keys.aggregate(address.communeCode, address.month, address.fieldCode)),
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values),
        },
      });
    }
    return items;
  }

  /** Puts the dossier's new or changed listings and deletes those it no longer has. */
  private listingChanges(
    sourceId: string,
    subject: SubjectRef,
    before: Listing[],
    after: Listing[],
  ): TransactWriteItem[] {
    const TableName = this.tableName;
    const keyOf = (listing: Listing) => keys.listing(listing, sourceId, subject.code);
    const id = (listing: Listing) => keyOf(listing).sk + keyOf(listing).pk;
    const previous = new Map(before.map((listing) => [id(listing), JSON.stringify(listing)]));
    const next = new Set(after.map(id));
    const changes: TransactWriteItem[] = [];
    for (const listing of after) {
      if (previous.get(id(listing)) === JSON.stringify(listing)) continue;
      changes.push({
        Put: { TableName, Item: marshall({ ...keyOf(listing), ...listing, dossierCode: subject.code }) },
      });
    }
    for (const listing of before) {
      if (!next.has(id(listing))) changes.push({ Delete: { TableName, Key: marshall(keyOf(listing)) } });
    }
    return changes;
  }

  private explainFailure(
    error: unknown,
    chunk: StoredEvent[],
  ): { kind: "known"; outcomes: Map<string, StoreOutcome> } | { kind: "retry"; reason: string } {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const outcomes = new Map<string, StoreOutcome>();
      chunk.forEach(({ event, hash }, i) => {
        const reason = reasons[i];
        if (reason?.Code === "ConditionalCheckFailed" && reason.Item) {
          outcomes.set(event.id, unmarshall(reason.Item).h === hash ? "duplicate" : "id_conflict");
        }
      });
      if (outcomes.size > 0) return { kind: "known", outcomes };
      const codes = reasons.map((reason) => reason.Code).filter((code) => code && code !== "None");
      return { kind: "retry", reason: codes.join(",") || "TransactionCanceled" };
    }
    if (isTransient(error)) return { kind: "retry", reason: (error as Error).name };
    throw error;
  }

  private async readHead(sourceId: string, subject: SubjectRef): Promise<Head> {
    const result = await this.withRetry(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(keys.head(sourceId, subject)),
          ConsistentRead: true,
        }),
      ),
    );
    return parseHead(subject, result.Item);
  }

  private async readHeads(sourceId: string, subjects: SubjectRef[]): Promise<Map<string, Head>> {
    const items = await this.batchGet(subjects.map((subject) => keys.head(sourceId, subject)));
    const byKey = new Map(items.map((item) => [item.pk?.S ?? "", item]));
    return new Map(
      subjects.map((subject) => {
        const { pk } = keys.head(sourceId, subject);
        return [pk, parseHead(subject, byKey.get(pk))];
      }),
    );
  }

  private async readEvents(sourceId: string, ids: string[]): Promise<Event[]> {
    const items = await this.batchGet(
      ids.map((id) => keys.event(sourceId, id)),
      "e",
    );
    return items.map((item) => JSON.parse(unmarshall(item).e as string) as Event);
  }

  private batchGet(itemKeys: { pk: string; sk: string }[], projection?: string) {
    return batchGetItems(this.client, this.tableName, itemKeys, {
      retry: this.retry,
      ...(projection ? { projection } : {}),
    });
  }

  /** A read retried on throttling and server errors. */
  private withRetry<T>(call: () => Promise<T>): Promise<T> {
    return sendWithRetry(this.retry, call, (reason) => this.observer.retried?.(reason));
  }
}

function parseHead(subject: SubjectRef, item: Record<string, AttributeValue> | undefined): Head {
  if (!item)
    return { exists: false, version: 0, state: initialState(subject.kind), events: new Map(), last: "" };
  const head = unmarshall(item);
  return {
    exists: true,
    version: head.v as number,
    state: JSON.parse(head.st as string) as SubjectState,
    events: new Map(JSON.parse(head.ev as string) as [string, string][]),
    last: head.last as string,
  };
}

/** Whether every new event sorts after the head's last one, so they fold from the stored state. */
function sortsAfter(head: Head, events: readonly StoredEvent[]): boolean {
  return events.every(({ event }) => head.events.has(event.id) || canonicalKey(event) > head.last);
}
