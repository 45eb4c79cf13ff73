/** One call of the contract over `serve`'s HTTP API, timed from outside the page. */
export async function timedApiCall(url: string, channel: string, args?: unknown): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: args === undefined ? undefined : JSON.stringify(args),
  });
  const body = (await res.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${channel}: ${body.error.message}`);
  return performance.now() - started;
}
