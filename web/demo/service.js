// The demo pages on the order service (ordertrail-serve --web web): the
// session scripts/demo wrote (the tokens the pages act with) and a small
// client of the service's /v1 API.
//
// The session is named by the page's `?session=` parameter (a file next to
// the pages, e.g. session.json, which scripts/demo writes and git ignores);
// without it the pages run on their own, as with scripts/serve-web, and ask
// the network nothing.

export const SESSION_SCHEMA = 'ordertrail.demo-session/1';

/** The session `{buyers, sellers, agent, demo_now}`, or null when the page has no `?session=`. */
export async function loadSession() {
  const name = new URLSearchParams(location.search).get('session');
  if (name === null) return null;
  if (!/^[\w.-]+\.json$/.test(name)) throw new Error(`?session= must name a .json file next to the page, not ${JSON.stringify(name)}`);
  const response = await fetch(new URL(name, location.href), { cache: 'no-store' });
  if (!response.ok) throw new Error(`the session ${name}: HTTP ${response.status}: start the demo with scripts/demo`);
  const session = await response.json();
  if (session?.schema !== SESSION_SCHEMA) throw new Error(`the session ${name} is not an ${SESSION_SCHEMA}`);
  return session;
}

/**
 * One request to the service: `{status, doc, etag}` (`doc` the JSON answer,
 * or null). The token goes in the Authorization header, never in the URL.
 */
export async function api(method, path, { token, body, headers = {} } = {}) {
  const init = { method, cache: 'no-store', headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let doc = null;
  try {
    doc = JSON.parse(text);
  } catch {
    // not JSON: doc stays null
  }
  return { status: response.status, doc, etag: response.headers.get('etag') };
}
