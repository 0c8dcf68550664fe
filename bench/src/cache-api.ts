/** The few tRPC calls the bench makes outside the load itself, as plain HTTP (no transformer). */

export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class CacheApi {
  readonly headers: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    token: string,
  ) {
    this.headers = { authorization: `Bearer ${token}` };
  }

  /** The path of a `get` query, for the load generator. */
  static getPath(namespace: string, key: string): string {
    return `/trpc/get?input=${encodeURIComponent(JSON.stringify({ namespace, key }))}`;
  }

  async query<T>(procedure: string, input: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: this.headers,
    });
    return unwrap<T>(response.status, await response.json());
  }

  async mutate<T>(procedure: string, input: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/trpc/${procedure}`, {
      method: "POST",
      headers: { ...this.headers, "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    return unwrap<T>(response.status, await response.json());
  }

  /**
   * Many `set`s in tRPC batches of `batchSize`, `concurrency` batches at a time: the Worker fans
   * each batch out to its shards in parallel, so seeding 10,000 keys takes seconds, not minutes.
   */
  async setMany(inputs: readonly object[], { batchSize = 500, concurrency = 4 } = {}): Promise<void> {
    const batches: object[][] = [];
    for (let i = 0; i < inputs.length; i += batchSize) batches.push(inputs.slice(i, i + batchSize));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const answers = await this.setBatch(batch);
        for (const answer of answers) unwrap(200, answer);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /**
   * One batch; retried (sets of the same values are harmless to repeat) when the answer is not
   * tRPC's JSON, as when wrangler dev reloads the Worker mid-request after a source file changed.
   */
  private async setBatch(batch: readonly object[], attempts = 3): Promise<unknown[]> {
    const response = await fetch(`${this.baseUrl}/trpc/${batch.map(() => "set").join(",")}?batch=1`, {
      method: "POST",
      headers: { ...this.headers, "content-type": "application/json" },
      body: JSON.stringify(Object.fromEntries(batch.map((input, index) => [index, input]))),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown[];
    } catch {
      if (attempts > 1) return this.setBatch(batch, attempts - 1);
      throw new CallError(response.status, "UNKNOWN", `a batch of sets answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
  }
}

function unwrap<T>(status: number, body: any): T {
  if (body?.error) {
    const data = body.error.data ?? {};
    throw new CallError(data.httpStatus ?? status, data.code ?? "UNKNOWN", body.error.message ?? JSON.stringify(body.error));
  }
  if (status !== 200) throw new CallError(status, "UNKNOWN", `HTTP ${status}: ${JSON.stringify(body)}`);
  return body.result.data as T;
}
