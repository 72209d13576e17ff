// The public API, as CloudStack's UI calls it: `login` POST answers a sessionkey (and sets the JSESSIONID and
// sessionkey cookies); every later call carries `sessionkey=`; `logout` ends the session.

const ENDPOINT = "/client/api";
const KEY = "zoostack.session";

/** An API error: the HTTP status and the API's errortext. */
export class ApiError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

/** The saved session ({sessionkey, username, account, type}) or null. */
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

function form(params) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") body.append(name, String(value));
  }
  body.append("response", "json");
  return body;
}

async function send(command, params, post) {
  const body = form({ command, ...params });
  const response = post
    ? await fetch(ENDPOINT, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      })
    : await fetch(`${ENDPOINT}?${body}`, { credentials: "same-origin" });
  let envelope = null;
  try {
    const json = await response.json();
    envelope = Object.values(json)[0] ?? null;
  } catch {
    envelope = null;
  }
  if (!response.ok || envelope === null || envelope.errortext !== undefined) {
    const text = envelope?.errortext ?? `${command} failed (HTTP ${response.status})`;
    throw new ApiError(response.status, text);
  }
  return envelope;
}

/** Logs in; saves and returns the session. */
export async function login(username, password, domain) {
  const answer = await send("login", { username, password, domain: domain || "/" }, true);
  const saved = {
    sessionkey: answer.sessionkey,
    username: answer.username,
    account: answer.account,
    type: answer.type,
  };
  sessionStorage.setItem(KEY, JSON.stringify(saved));
  return saved;
}

/** Logs out (the session is forgotten even when the server has already ended it). */
export async function logout() {
  const current = session();
  sessionStorage.removeItem(KEY);
  if (current) {
    try {
      await send("logout", { sessionkey: current.sessionkey }, true);
    } catch {
      // Already gone: nothing to end.
    }
  }
}

/** Calls `command` in the current session; a 401 forgets the session. */
export async function call(command, params = {}) {
  const current = session();
  if (!current) throw new ApiError(401, "Not logged in");
  try {
    return await send(command, { ...params, sessionkey: current.sessionkey }, false);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) sessionStorage.removeItem(KEY);
    throw error;
  }
}

/** The first array in a list response, and its `count`. */
export function items(envelope) {
  for (const [name, value] of Object.entries(envelope)) {
    if (name !== "count" && Array.isArray(value)) return { items: value, count: envelope.count ?? value.length };
  }
  return { items: [], count: envelope.count ?? 0 };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an async command and polls `queryAsyncJobResult` until the job ends (at most `limitMs`); `progress` is
 * called with each poll's count. Resolves with the job result; rejects with the job's errortext.
 */
export async function runJob(command, params, progress = () => {}, limitMs = 600000) {
  const started = await call(command, params);
  const jobid = started.jobid;
  if (!jobid) return started;
  const deadline = Date.now() + limitMs;
  for (let poll = 1; Date.now() < deadline; poll += 1) {
    const job = await call("queryAsyncJobResult", { jobid });
    if (job.jobstatus === 1) return job.jobresult ?? {};
    if (job.jobstatus === 2) throw new ApiError(job.jobresultcode ?? 530, job.jobresult?.errortext ?? "The job failed");
    progress(poll);
    await sleep(Math.min(2000, 250 * poll));
  }
  throw new ApiError(0, `Job ${jobid} still running; check it later`);
}
