import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";

/**
 * Runs `work` in one transaction; a connection that fails to roll back is discarded. With
 * `timeoutMs`, every statement (BEGIN, COMMIT, ROLLBACK and the work's) must be answered in that
 * time: a connection whose database stopped answering (restarting, a network fault) then fails
 * the transaction and is discarded, instead of holding its caller forever.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  timeoutMs = 0,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a connection dropped between two
  // statements (the database restarting) would otherwise be an unhandled 'error' event and
  // end the process. The statement in flight, or the next one, fails instead.
  let broken = false;
  const dropped = () => (broken = true);
  client.on("error", dropped);
  const tx = timeoutMs ? timed(client, timeoutMs) : client;
  try {
    await tx.query("BEGIN");
    const result = await work(tx);
    await tx.query("COMMIT");
    return result;
  } catch (error) {
    broken = await tx.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.off("error", dropped);
    client.release(broken);
  }
}

/** `client` whose `query(text, values)` calls time out after `ms` (node-pg's query_timeout). */
function timed(client: PoolClient, ms: number): PoolClient {
  const query = <R extends QueryResultRow>(text: string, values?: unknown[]) =>
    client.query<R>({ text, values, query_timeout: ms } as never) as Promise<QueryResult<R>>;
  return new Proxy(client, {
    get: (target, prop, receiver) =>
      prop === "query" ? query : Reflect.get(target, prop, receiver),
  });
}
