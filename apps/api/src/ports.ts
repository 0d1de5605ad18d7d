/*
 * Ports of the HTTP layer itself: what the API needs from a store that the domain never sees. The store's adapter
 * (DynamoIdempotencyStore in @safer-places/store) implements them structurally, since packages never import apps.
 */

/** What a create request answered, kept so a retry with the same Idempotency-Key gets the same answer. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyRecord =
  | { state: 'new'; claim: string }
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

/** Idempotency keys, scoped to one user of one organisation. */
export interface IdempotencyStore {
  /** Claims the key for this request, or returns what an earlier request with the key did or is doing. */
  reserve(scope: { orgId: string; userId: string }, key: string, fingerprint: string, now: Date): Promise<IdempotencyRecord>;
  /** Keeps the answer, if the key is still held by this claim (a claim left too long may have been taken over). */
  complete(scope: { orgId: string; userId: string }, key: string, claim: string, response: StoredResponse, now: Date): Promise<void>;
  /** Frees the key after a failed request, so the same key can be sent again with a corrected body. */
  release(scope: { orgId: string; userId: string }, key: string, claim: string): Promise<void>;
}
