/** Plain-HTTP tRPC calls from Node (the SDK has its own tests; these check the wire contract itself). */
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** A response read whole: its body parsed as JSON when it is JSON, else kept as text so an assertion shows it. */
export async function readReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body, headers: response.headers };
}

export function makeClient(baseUrl: string, headers: Record<string, string> = {}) {
  return {
    query: async (procedure: string, input?: unknown) =>
      readReply(
        await fetch(`${baseUrl}/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, {
          headers,
        }),
      ),
    mutate: async (procedure: string, input: unknown) =>
      readReply(
        await fetch(`${baseUrl}/trpc/${procedure}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(input),
        }),
      ),
    raw: async (path: string, init: RequestInit = {}) =>
      readReply(await fetch(`${baseUrl}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } })),
  };
}

export function data(reply: Reply): any {
  if (reply.status !== 200) throw new Error(`expected 200, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body.result.data;
}
