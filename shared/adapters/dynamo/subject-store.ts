import {
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { contributionOf } from "../../domain/contribution";
import { type Contribution, difference } from "../../domain/counters";
import { canonicalKey, type Event, type SubjectRef, sortCanonically } from "../../domain/events";
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
import {
  cancellationCodes,
  fitsAlone,
  losersOf,
  MAX_TRANSACTION_ITEMS,
  packWrites,
  type SubjectWrite,
  transactionOf,
} from "./group-commit";
import { keys } from "./keys";
import {
  backoffDelay,
  defaultRetryPolicy,
  isTransient,
  type RetryPolicy,
  StoreUnavailableError,
} from "./retry";
import { type Head, parseHead, sortOut, sortsAfter } from "./subject-head";
import { estimatedWriteUnits } from "./write-units";

/** Attempts of a group's transaction before its dossiers are retried alone. */
const GROUP_ATTEMPTS = 3;
/** Events of one subject committed together at most; more go in further transactions. */
const MAX_EVENTS_PER_TRANSACTION = 40;

export interface StoreObserver {
  /**
   * A committed transaction: the write units DynamoDB reported, the units AWS's documented rule
   * gives for its items, how many events it applied, and the items.
   */
  committed?(
    reportedUnits: number,
    events: number,
    estimatedUnits: number,
    items?: readonly TransactWriteItem[],
  ): void;
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
    /** Subjects `applyAll` commits alone at once (too big to share a transaction, or losers of a race). */
    private readonly concurrency = 16,
  ) {}

  /**
   * Applies the events of many subjects: their heads (and, where events arrive out of order, their
   * histories) are fetched in a few batch reads; then the subjects are group-committed, as few
   * transactions as DynamoDB's limits allow, their aggregate deltas merged per aggregate item. A
   * subject that loses its race in a group (its head moved, its event appeared) is retried alone, as
   * is one too big to share a transaction. Every subject is tried; the first failure is thrown after.
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
    const writes: PlannedWrite[] = [];
    const alone: { batch: SubjectBatch; head?: Head }[] = [];
    for (const batch of batches) {
      const head = heads.get(keys.head(sourceId, batch.subject).pk)!;
      const planned = await this.plan(sourceId, batch, head, history);
      for (const [id, outcome] of planned.known) outcomes.set(id, outcome);
      if (planned.kind === "write") writes.push(planned.write);
      else if (planned.kind === "alone") alone.push({ batch, head });
    }

    const failures: unknown[] = [];
    // One request's groups go one after another: they share aggregates, and two transactions on the
    // same item at once conflict in DynamoDB.
    for (const group of packWrites(writes)) {
      try {
        for (const loser of await this.commitGroup(group, outcomes)) alone.push({ batch: loser.batch });
      } catch (error) {
        failures.push(error);
      }
    }
    await mapLimited(alone, this.concurrency, async ({ batch, head }) => {
      try {
        const prefetched = head ? { head, history } : { history };
        for (const [id, outcome] of await this.apply(sourceId, batch.subject, batch.events, prefetched)) {
          outcomes.set(id, outcome);
        }
      } catch (error) {
        failures.push(error);
      }
    });
    if (failures.length > 0) throw failures[0];
    return outcomes;
  }

  /**
   * What one subject's batch writes, from the head read: its known events' outcomes, and its write
   * (nothing new; a write that may share a transaction; or one to commit alone, in several
   * transactions if need be).
   */
  private async plan(
    sourceId: string,
    batch: SubjectBatch,
    head: Head,
    history: Map<string, Event>,
  ): Promise<
    { known: Map<string, StoreOutcome> } & (
      | { kind: "none" }
      | { kind: "alone" }
      | { kind: "write"; write: PlannedWrite }
    )
  > {
    const { known, fresh } = sortOut(head, batch.events);
    if (fresh.length === 0) return { known, kind: "none" };
    if (fresh.length > MAX_EVENTS_PER_TRANSACTION) return { known, kind: "alone" };
    const state = await this.nextState(sourceId, head, fresh, history);
    const diff = difference(contributionOf(state), contributionOf(head.state));
    const write = { ...this.subjectWrite(sourceId, batch.subject, head, fresh, state, diff), batch, fresh };
    return fitsAlone(write) ? { known, kind: "write", write } : { known, kind: "alone" };
  }

  /**
   * Commits a group of writes in one transaction. When it is cancelled because some of them lost
   * their race, the others are committed again without them and the losers are returned, to be
   * retried alone; any other transient failure retries the whole group with backoff, and after
   * `GROUP_ATTEMPTS` returns every write to be retried alone.
   */
  private async commitGroup(
    group: readonly PlannedWrite[],
    outcomes: Map<string, StoreOutcome>,
  ): Promise<PlannedWrite[]> {
    let members = [...group];
    const losers: PlannedWrite[] = [];
    let failures = 0;
    while (members.length > 0) {
      const { items, owners } = transactionOf(this.tableName, members);
      try {
        const result = await this.client.send(
          new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: "TOTAL" }),
        );
        const units = (result.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        const events = members.reduce((sum, write) => sum + write.fresh.length, 0);
        this.observer.committed?.(units, events, estimatedWriteUnits(items), items);
        for (const write of members) for (const { event } of write.fresh) outcomes.set(event.id, "applied");
        return losers;
      } catch (error) {
        const lost =
          error instanceof TransactionCanceledException
            ? losersOf(error.CancellationReasons, owners)
            : undefined;
        if (lost) {
          this.observer.retried?.("lost race in a group");
          losers.push(...members.filter((_, i) => lost.has(i)));
          members = members.filter((_, i) => !lost.has(i));
          continue;
        }
        if (!(error instanceof TransactionCanceledException) && !isTransient(error)) throw error;
        failures += 1;
        const reason =
          error instanceof TransactionCanceledException ? cancellationCodes(error) : (error as Error).name;
        this.observer.retried?.(reason);
        // A group that keeps meeting conflicts on its shared aggregates, or throttling, splits: each
        // of its dossiers then retries alone, so that one hot aggregate never fails them all.
        if (failures >= Math.min(GROUP_ATTEMPTS, this.retry.maxAttempts)) return [...losers, ...members];
        await this.retry.sleep(backoffDelay(this.retry, failures));
      }
    }
    return losers;
  }

  /** Applies one subject's events; `prefetched` stands in for the first read of its head and history. */
  async apply(
    sourceId: string,
    subject: SubjectRef,
    events: readonly StoredEvent[],
    prefetched?: { head?: Head; history: Map<string, Event> },
  ): Promise<Map<string, StoreOutcome>> {
    const outcomes = new Map<string, StoreOutcome>();
    let pending = [...events];
    let failures = 0;
    let prefetchedHead = prefetched?.head;
    while (pending.length > 0) {
      const head = prefetchedHead ?? (await this.readHead(sourceId, subject));
      prefetchedHead = undefined;
      const { known, fresh } = sortOut(head, pending);
      for (const [id, outcome] of known) outcomes.set(id, outcome);
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
      // Events, head, aggregates and a marker: too many already, whatever the listings.
      if (chunk.length + 2 + diff.size > MAX_TRANSACTION_ITEMS && chunk.length > 1) {
        chunk = chunk.slice(0, Math.ceil(chunk.length / 2));
        continue;
      }
      const write = this.subjectWrite(sourceId, subject, head, chunk, state, diff);
      const { items } = transactionOf(this.tableName, [write]);
      if (items.length > MAX_TRANSACTION_ITEMS && chunk.length > 1) {
        chunk = chunk.slice(0, Math.ceil(chunk.length / 2));
        continue;
      }
      try {
        const result = await this.client.send(
          new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: "TOTAL" }),
        );
        const units = (result.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        this.observer.committed?.(units, chunk.length, estimatedWriteUnits(items), items);
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

  /** The subject's own items (its new events, its head, its listings) and its aggregate deltas. */
  private subjectWrite(
    sourceId: string,
    subject: SubjectRef,
    head: Head,
    chunk: StoredEvent[],
    state: SubjectState,
    diff: Contribution,
  ): SubjectWrite {
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
    const field =
      details?.fieldName && details.fieldCode
        ? { code: details.fieldCode, name: details.fieldName }
        : undefined;
    return { items, diff, ...(field ? { field } : {}) };
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
      return { kind: "retry", reason: cancellationCodes(error) };
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

/** A planned write of one subject, with the batch it came from and the events it applies. */
type PlannedWrite = SubjectWrite & { batch: SubjectBatch; fresh: StoredEvent[] };
