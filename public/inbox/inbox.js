/**
 * The /inbox page: a notification centre on top of the typed WebSocket client (src/client,
 * bundled to /assets/herald-client.js by scripts/build-client.mjs).
 *
 * What the client guarantees, the page relies on instead of re-implementing: every event is
 * applied once and in seq order, a reconnect resumes with `since` so nothing is missed, and
 * `items` / `unreadCount` are the view to render (edits applied, recalled items gone, read state
 * synced across the user's devices). The page connects with `since: 0`, so the whole live inbox
 * is replayed on load, read items included — not only what no device has acked yet.
 *
 * The page adds: a tombstone in place of a recalled item for the rest of the visit, an "Edited"
 * mark, and a REST fallback for marking read while the socket is down.
 */
import { HeraldClient } from "/assets/herald-client.js";
import { api, ApiProblem, describeProblem, el, refreshTimes, timeEl } from "/assets/ui.js";

/** sessionStorage key: the token lives as long as the tab, never in localStorage. */
const TOKEN_KEY = "herald.inbox.token";
const STATE_TEXT = { connecting: "Connecting…", open: "Live", reconnecting: "Reconnecting…", closed: "Offline" };

const $ = (id) => document.getElementById(id);
const ui = {
  signin: $("signin"),
  tokenForm: $("token-form"),
  token: $("token"),
  devForm: $("dev-form"),
  devUser: $("dev-user"),
  signinError: $("signin-error"),
  inbox: $("inbox"),
  who: $("who"),
  connection: $("connection"),
  badge: $("badge"),
  readAll: $("read-all"),
  signOut: $("sign-out"),
  preferencesLink: $("preferences-link"),
  list: $("list"),
  empty: $("empty"),
  notice: $("inbox-notice"),
};

/**
 * The signed-in visit, or null. `rendered`: entries of the last render by id (a recalled item's
 * title and seq are read from here, as the client has dropped it by then). `readLocally` and
 * `countOverride` hold what a REST call reported while the socket was down, until the next
 * `hello` brings the exact count again.
 * @type {null | {client: HeraldClient, rendered: Map<string, Entry>, tombstones: Map<string, Entry>,
 *   edited: Set<string>, flash: Set<string>, readLocally: Set<string>, countOverride: number | null}}
 */
let session = null;

/** @typedef {{id: string, seq: number, recalled: boolean, read: boolean, edited: boolean, title: string, n?: import("/assets/herald-client.js").HeldNotification}} Entry */

function showSigninError(message) {
  ui.signinError.textContent = message;
  ui.signinError.hidden = !message;
}

/**
 * What a token says about itself: the user id (`sub`) and expiry (`exp`, seconds). For display
 * and for noticing expiry only — the server verifies tokens, the page never trusts them.
 */
function claimsOf(token) {
  try {
    const { sub, exp } = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return { userId: typeof sub === "string" ? sub : "", expiresAt: typeof exp === "number" ? exp * 1000 : Infinity };
  } catch {
    return { userId: "", expiresAt: Infinity };
  }
}

/**
 * Checks the token with one REST call first: a refused token would otherwise only show as a
 * socket that keeps reconnecting, because browsers hide a failed upgrade's status.
 */
async function signIn(token) {
  showSigninError("");
  try {
    await api("/v1/me/notifications/unread-count", { bearer: token });
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSigninError(error instanceof ApiProblem && error.status === 401 ? `This token was refused: ${error.message}` : describeProblem(error));
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  start(token);
}

/**
 * Points the "Preferences" link at the user's hosted preference page: a signed link from
 * `POST /v1/me/preferences/link`, opened on this origin (the link names the deployment's public
 * URL, which a local server is not). Without it the inbox still works; the link stays hidden.
 */
async function linkPreferences(token) {
  try {
    const { url } = await api("/v1/me/preferences/link", { method: "POST", bearer: token });
    ui.preferencesLink.href = `/preferences/${new URL(url).search}`;
    ui.preferencesLink.hidden = false;
  } catch (error) {
    console.warn("no preferences link", describeProblem(error));
  }
}

function start(token) {
  // Tickets keep the token out of the socket's URL (and so out of proxy and access logs).
  const client = new HeraldClient({ baseUrl: location.origin, token, since: 0, connectTickets: true });
  session = { client, rendered: new Map(), tombstones: new Map(), edited: new Set(), flash: new Set(), readLocally: new Set(), countOverride: null };
  const { userId, expiresAt } = claimsOf(token);
  ui.who.textContent = userId ? `Signed in as ${userId}` : "Signed in";
  ui.who.hidden = false;
  ui.signin.hidden = true;
  ui.inbox.hidden = false;
  ui.list.replaceChildren();
  ui.notice.textContent = "";
  void linkPreferences(token);

  client.on("state", (state) => {
    showState(state);
    if (session?.client !== client) return;
    // Closed without stop(): the server ended the session (close code 4001, token expired). An
    // upgrade refused with 401 only shows as a dropped socket, so expiry is also checked here
    // rather than letting the client retry with a dead token forever.
    if (state === "closed" || (state === "reconnecting" && Date.now() >= expiresAt)) {
      stop();
      showSigninError("Your session ended: the token expired. Sign in again.");
    }
  });
  client.on("hello", () => {
    if (session) session.countOverride = null;
  });
  client.on("updated", (frame) => {
    session?.edited.add(frame.notification.id);
    session?.flash.add(frame.notification.id);
  });
  client.on("recalled", (frame) => {
    const shown = session?.rendered.get(frame.id);
    if (shown && !shown.recalled) session.tombstones.set(frame.id, { ...shown, recalled: true, read: true, n: undefined });
  });
  client.on("change", render);
  client.connect();
  render();
  ui.list.focus();
}

function stop() {
  const current = session;
  session = null;
  current?.client.close();
  sessionStorage.removeItem(TOKEN_KEY);
  ui.inbox.hidden = true;
  ui.who.hidden = true;
  ui.signin.hidden = false;
  ui.list.replaceChildren();
  showState("closed");
  ui.connection.textContent = "Signed out";
}

function showState(state) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = STATE_TEXT[state] ?? state;
}

/** Live items and tombstones, newest first: a tombstone keeps the seq of the item it replaces. */
function entries() {
  const { client, tombstones, edited, readLocally } = session;
  const live = client.items.map((n) => ({
    id: n.id,
    seq: n.seq,
    recalled: false,
    read: n.readAt !== null || readLocally.has(n.id),
    edited: edited.has(n.id),
    title: n.title ?? "(no title)",
    n,
  }));
  return [...live, ...tombstones.values()].sort((a, b) => b.seq - a.seq);
}

/**
 * Brings the list in line with the client's view. Unchanged items keep their nodes (and so
 * keyboard focus); a changed item is replaced where it stands; new ones are inserted in order.
 */
function render() {
  if (!session) return;
  const list = entries();
  const rendered = new Map();
  const nodes = new Map([...ui.list.children].map((li) => [li.dataset.id, li]));
  let next = ui.list.firstElementChild;
  for (const entry of list) {
    rendered.set(entry.id, entry);
    const signature = JSON.stringify([entry.recalled, entry.read, entry.edited, entry.title, entry.n?.body, entry.n?.priority]);
    let node = nodes.get(entry.id);
    if (!node || node.dataset.signature !== signature) {
      const fresh = itemNode(entry);
      fresh.dataset.signature = signature;
      if (session.flash.delete(entry.id)) fresh.classList.add("flash");
      if (node) {
        const hadFocus = node.contains(document.activeElement);
        if (next === node) next = fresh;
        node.replaceWith(fresh);
        if (hadFocus) fresh.focus();
      }
      node = fresh;
    }
    if (node === next) next = next.nextElementSibling;
    else ui.list.insertBefore(node, next);
  }
  while (next) {
    const gone = next;
    next = next.nextElementSibling;
    gone.remove();
  }
  session.rendered = rendered;

  const unread = session.countOverride ?? session.client.unreadCount;
  ui.badge.textContent = String(unread);
  ui.badge.dataset.count = String(unread);
  ui.badge.setAttribute("aria-label", `${unread} unread`);
  document.title = unread > 0 ? `(${unread}) Inbox · Herald` : "Inbox · Herald";
  ui.readAll.disabled = unread === 0 || !list.some((e) => !e.recalled);
  ui.empty.hidden = list.length > 0;
}

/** @param {Entry} entry */
function itemNode(entry) {
  const common = { role: "listitem", tabindex: "-1", "data-id": entry.id, "data-seq": String(entry.seq) };
  if (entry.recalled) {
    return el(
      "li",
      { ...common, class: "item recalled", "data-state": "recalled" },
      el("span", { class: "dot", "aria-hidden": "true" }),
      el("p", { class: "body", text: `“${entry.title}” was withdrawn by the sender.` }),
      el("span"),
    );
  }
  const n = entry.n;
  return el(
    "li",
    { ...common, class: entry.read ? "item" : "item unread", "data-state": entry.read ? "read" : "unread" },
    el("span", { class: "dot", "aria-hidden": "true" }),
    el(
      "div",
      { class: "content" },
      el(
        "div",
        { class: "title-line" },
        el("h3", { class: "title", text: entry.title }),
        entry.read ? null : el("span", { class: "sr-only", text: "(unread)" }),
        n.priority === "high" ? el("span", { class: "tag high", text: "High priority" }) : null,
        entry.edited ? el("span", { class: "tag warn", text: "Edited" }) : null,
      ),
      n.body ? el("p", { class: "body", text: n.body }) : null,
      timeEl(n.createdAt),
    ),
    entry.read
      ? el("span", { class: "tag ok", text: "Read" })
      : el("button", { type: "button", class: "small secondary", "aria-label": `Mark “${entry.title}” read`, on: { click: (event) => markOne(entry.id, event.currentTarget) } }, "Mark read"),
  );
}

/** Marks one item read: over the socket when it is open (every device hears it), else over REST. */
async function markOne(id, button) {
  const { client } = session;
  if (client.state === "open" && client.markRead([id])) return;
  button.disabled = true;
  try {
    applyRestRead(await api(`/v1/me/notifications/${encodeURIComponent(id)}/read`, { method: "POST", bearer: sessionStorage.getItem(TOKEN_KEY) }));
  } catch (error) {
    button.disabled = false;
    ui.notice.textContent = `Could not mark it read: ${describeProblem(error)}`;
  }
}

/**
 * Marks read everything up to the highest seq shown, so items arriving meanwhile stay unread
 * (the server applies `upToSeq`, docs/api.md#inbox-over-rest).
 */
async function markAll() {
  const upToSeq = Math.max(0, ...session.client.items.map((n) => n.seq));
  ui.readAll.disabled = true;
  try {
    const result = await api("/v1/me/notifications/read-all", { method: "POST", body: { upToSeq }, bearer: sessionStorage.getItem(TOKEN_KEY) });
    applyRestRead(result);
    ui.notice.textContent = result.ids.length === 1 ? "Marked 1 notification read." : `Marked ${result.ids.length} notifications read.`;
  } catch (error) {
    ui.notice.textContent = `Could not mark all read: ${describeProblem(error)}`;
    render();
  }
}

/**
 * A REST read result. Read state only ever moves one way, so its ids always apply. Its count is
 * used only while the socket is down: an open socket gets the same change as a `read` frame,
 * whose count is at least as new, and the next `hello` brings the exact count again.
 */
function applyRestRead(result) {
  if (!session) return;
  for (const id of result.ids) session.readLocally.add(id);
  if (session.client.state !== "open") session.countOverride = result.unreadCount;
  render();
}

ui.tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    showSigninError("Paste a user token first.");
    ui.token.focus();
    return;
  }
  void signIn(token);
});

ui.devForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  showSigninError("");
  try {
    const { token } = await api("/dev/token", { method: "POST", body: { userId: ui.devUser.value.trim() } });
    ui.token.value = token;
    await signIn(token);
  } catch (error) {
    showSigninError(
      error instanceof ApiProblem && error.status === 404 ? "This server does not hand out dev tokens (ALLOW_DEV_TOKENS is off). Paste a token instead." : describeProblem(error),
    );
  }
});

ui.readAll.addEventListener("click", () => void markAll());
ui.signOut.addEventListener("click", () => {
  stop();
  ui.token.value = "";
  ui.token.focus();
});
ui.list.tabIndex = -1;
setInterval(() => refreshTimes(ui.list), 30_000);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
