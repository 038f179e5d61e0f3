/**
 * The /inbox page: a bell with an unread badge and a popover feed, built on the client package
 * (packages/client, @herald/client, bundled to /assets/herald-client.js by scripts/build-client.mjs).
 *
 * What the package guarantees, the page relies on instead of re-implementing: every event is
 * applied once and in seq order, a reconnect resumes with `since` so nothing is missed, the
 * transport falls back to Server-Sent Events when WebSockets are blocked, and the FeedStore's
 * snapshot is the view to render — filtered items, exact counts, optimistic actions rolled back
 * on error. The page connects with `since: 0`, so the whole live inbox is replayed on load.
 *
 * The page adds: tabs by tag, the All/Unread/Archived filter, per-item actions, a tombstone in
 * place of a recalled item for the rest of the visit, an "Edited" mark, marking items seen when
 * the user opens the bell (as Knock's and Novu's feeds do), and keyboard access. `?transport=sse`
 * (or `websocket`) in the page's URL forces a transport, for trying the fallback by hand.
 */
import { FeedStore, HeraldClient } from "/assets/herald-client.js";
import { api, ApiProblem, describeProblem, el, refreshTimes, timeEl } from "/assets/ui.js";

/** sessionStorage key: the token lives as long as the tab, never in localStorage. */
const TOKEN_KEY = "herald.inbox.token";
const STATE_TEXT = { connecting: "Connecting…", open: "Live", reconnecting: "Reconnecting…", closed: "Offline" };
/** How long the per-item Snooze hides an item, in ms. */
const SNOOZE_MS = 60 * 60_000;
const EMPTY_TEXT = {
  all: "Nothing here yet. New notifications appear as they arrive.",
  unread: "You're all caught up: nothing unread.",
  archived: "Nothing archived.",
};

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
  bellWrap: $("bell-wrap"),
  bell: $("bell"),
  badge: $("badge"),
  readAll: $("read-all"),
  signOut: $("sign-out"),
  preferencesLink: $("preferences-link"),
  tabs: $("tabs"),
  statusFilter: $("status-filter"),
  panel: $("panel"),
  list: $("list"),
  empty: $("empty"),
  emptyText: $("empty-text"),
  notice: $("inbox-notice"),
};

/**
 * The signed-in visit, or null. `rendered`: entries of the last render by id (a recalled item's
 * title and seq are read from here, as the client has dropped it by then). `userOpened`: the
 * user opened the bell, so what is shown counts as seen.
 * @type {null | {client: HeraldClient, store: FeedStore, rendered: Map<string, Entry>, tombstones: Map<string, Entry>,
 *   edited: Set<string>, flash: Set<string>, userOpened: boolean}}
 */
let session = null;

/** @typedef {{id: string, seq: number, recalled: boolean, read: boolean, edited: boolean, title: string, tags: string[], n?: import("/assets/herald-client.js").FeedItem}} Entry */

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
 * connection that keeps reconnecting, because browsers hide a failed upgrade's status.
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

/** `?transport=` of the page's URL, when it names one the client knows. */
function transportOption() {
  const asked = new URL(location.href).searchParams.get("transport");
  return asked === "sse" || asked === "websocket" || asked === "auto" ? asked : "auto";
}

function start(token) {
  // Tickets keep the token out of the socket's URL (and so out of proxy and access logs); the
  // event stream, read with fetch, sends it in a header instead.
  const client = new HeraldClient({ baseUrl: location.origin, token, since: 0, connectTickets: true, transport: transportOption() });
  // The badge waits for the server's word (an item's own state is shown at once): a count the
  // user sees is one the API would answer.
  const store = new FeedStore(client, { optimisticCounts: false });
  session = { client, store, rendered: new Map(), tombstones: new Map(), edited: new Set(), flash: new Set(), userOpened: false };
  const { userId, expiresAt } = claimsOf(token);
  ui.who.textContent = userId ? `Signed in as ${userId}` : "Signed in";
  ui.who.hidden = false;
  ui.signin.hidden = true;
  ui.bellWrap.hidden = false;
  ui.signOut.hidden = false;
  ui.list.replaceChildren();
  ui.notice.textContent = "";
  setOpen(true, { byUser: false });
  void linkPreferences(token);

  client.on("state", (state) => {
    if (session?.client !== client) return;
    // Closed without stop(): the server ended the session (close code 4001, token expired). An
    // upgrade refused with 401 only shows as a dropped socket, so expiry is also checked here
    // rather than letting the client retry with a dead token forever.
    if (state === "closed" || (state === "reconnecting" && Date.now() >= expiresAt)) {
      stop();
      showSigninError("Your session ended: the token expired. Sign in again.");
    }
  });
  client.on("updated", (frame) => {
    session?.edited.add(frame.notification.id);
    session?.flash.add(frame.notification.id);
  });
  client.on("recalled", (frame) => {
    const shown = session?.rendered.get(frame.id);
    if (shown && !shown.recalled) session.tombstones.set(frame.id, { ...shown, recalled: true, read: true, n: undefined });
  });
  client.on("notification", () => {
    // After the store has the item (its listener runs after this one).
    if (session?.userOpened && !ui.inbox.hidden) void Promise.resolve().then(markShownSeen);
  });
  store.subscribe(render);
  client.connect();
  render();
  ui.list.focus();
}

function stop() {
  const current = session;
  session = null;
  current?.store.dispose();
  current?.client.close();
  sessionStorage.removeItem(TOKEN_KEY);
  ui.inbox.hidden = true;
  ui.who.hidden = true;
  ui.bellWrap.hidden = true;
  ui.signOut.hidden = true;
  ui.signin.hidden = false;
  ui.list.replaceChildren();
  ui.tabs.replaceChildren();
  showState("closed", "websocket");
  ui.connection.textContent = "Signed out";
}

function showState(state, transport) {
  ui.connection.dataset.state = state;
  ui.connection.dataset.transport = transport;
  const text = STATE_TEXT[state] ?? state;
  ui.connection.textContent = transport === "sse" && state === "open" ? `${text} · SSE fallback` : text;
  ui.connection.title = transport === "sse" ? "WebSockets are blocked here: receiving over Server-Sent Events." : "";
}

/** Opens or closes the popover. Opened by the user, what it shows counts as seen. */
function setOpen(open, { byUser }) {
  ui.inbox.hidden = !open;
  ui.bell.setAttribute("aria-expanded", String(open));
  if (!session) return;
  if (open && byUser) {
    session.userOpened = true;
    markShownSeen();
  }
}

function markShownSeen() {
  if (!session || ui.inbox.hidden) return;
  const unseen = session.store
    .getSnapshot()
    .items.filter((n) => !n.seenAt)
    .map((n) => n.id);
  if (unseen.length > 0) void session.store.markSeen(unseen);
}

/** The current filter as the radio group shows it. */
function filterName(filter) {
  return filter.archived ? "archived" : filter.status;
}

/** Live items and tombstones (outside the Archived view), newest first; a tombstone keeps its item's seq. */
function entries(snapshot) {
  const { tombstones, edited } = session;
  const live = snapshot.items.map((n) => ({
    id: n.id,
    seq: n.seq,
    recalled: false,
    read: n.readAt !== null,
    edited: edited.has(n.id),
    title: n.title ?? "(no title)",
    tags: n.tags ?? [],
    n,
  }));
  const { tag, archived } = snapshot.filter;
  const graves = archived ? [] : [...tombstones.values()].filter((t) => tag === null || t.tags.includes(tag));
  return [...live, ...graves].sort((a, b) => b.seq - a.seq);
}

/**
 * Brings the popover in line with the store's snapshot. Unchanged items keep their nodes (and so
 * keyboard focus); a changed item is replaced where it stands; new ones are inserted in order.
 */
function render() {
  if (!session) return;
  const snapshot = session.store.getSnapshot();
  showState(snapshot.connection, snapshot.transport);
  renderTabs(snapshot);
  renderFilter(snapshot);

  const list = entries(snapshot);
  const rendered = new Map();
  const nodes = new Map([...ui.list.children].map((li) => [li.dataset.id, li]));
  let next = ui.list.firstElementChild;
  for (const entry of list) {
    rendered.set(entry.id, entry);
    const n = entry.n;
    const signature = JSON.stringify([entry.recalled, entry.read, entry.edited, entry.title, n?.body, n?.priority, n?.archivedAt, n?.pending, entry.tags, n?.actions]);
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
  session.rendered = new Map([...session.rendered, ...rendered]);

  const unread = snapshot.counts.unread;
  ui.badge.textContent = unread > 99 ? "99+" : String(unread);
  ui.badge.dataset.count = String(unread);
  ui.badge.setAttribute("aria-label", `${unread} unread`);
  document.title = unread > 0 ? `(${unread}) Inbox · Herald` : "Inbox · Herald";
  ui.readAll.disabled = unread === 0;
  ui.empty.hidden = list.length > 0;
  ui.emptyText.textContent = EMPTY_TEXT[filterName(snapshot.filter)];
  if (snapshot.error) ui.notice.textContent = `Could not ${describeAction(snapshot.error.action)}: ${snapshot.error.message}`;
}

function describeAction(action) {
  return { readAll: "mark all read", read: "mark it read", unread: "mark it unread", archive: "archive it", unarchive: "unarchive it", snooze: "snooze it", seen: "mark it seen" }[action] ?? action;
}

/** One tab per tag (with its unread count), after "All"; arrow keys move between them (WAI-ARIA tabs). */
function renderTabs(snapshot) {
  const tabs = [{ tag: null, label: "All" }, ...snapshot.tags.map((tag) => ({ tag, label: tag }))];
  const signature = JSON.stringify([tabs, snapshot.filter.tag, snapshot.counts.byTag]);
  if (ui.tabs.dataset.signature === signature) return;
  const hadFocus = ui.tabs.contains(document.activeElement);
  ui.tabs.dataset.signature = signature;
  ui.tabs.replaceChildren(
    ...tabs.map(({ tag, label }) => {
      const selected = tag === snapshot.filter.tag;
      const unread = tag === null ? 0 : (snapshot.counts.byTag[tag]?.unread ?? 0);
      return el(
        "button",
        {
          type: "button",
          role: "tab",
          id: `tab-${tag ?? "all"}`,
          "data-tag": tag ?? "",
          "aria-selected": String(selected),
          "aria-controls": "panel",
          tabindex: selected ? "0" : "-1",
          on: { click: () => session?.store.setFilter({ tag }) },
        },
        label,
        unread > 0 ? el("span", { class: "count", "aria-label": `, ${unread} unread`, text: String(unread) }) : null,
      );
    }),
  );
  ui.panel.setAttribute("aria-labelledby", `tab-${snapshot.filter.tag ?? "all"}`);
  // One "All" tab alone filters nothing: the bar shows once a tag is in use.
  ui.tabs.hidden = tabs.length === 1;
  if (hadFocus) ui.tabs.querySelector('[aria-selected="true"]')?.focus();
}

function renderFilter(snapshot) {
  const current = filterName(snapshot.filter);
  for (const radio of ui.statusFilter.querySelectorAll("[role=radio]")) {
    const checked = radio.dataset.filter === current;
    radio.setAttribute("aria-checked", String(checked));
    radio.tabIndex = checked ? 0 : -1;
  }
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
    );
  }
  const n = entry.n;
  const archived = Boolean(n.archivedAt);
  const act = (label, aria, run) => el("button", { type: "button", class: "small secondary", "aria-label": aria, on: { click: run } }, label);
  return el(
    "li",
    { ...common, class: entry.read ? "item" : "item unread", "data-state": entry.read ? "read" : "unread", "data-archived": String(archived), "data-pending": String(n.pending) },
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
      el("span", { class: "meta" }, timeEl(n.createdAt), entry.tags.length > 0 ? " · " : null, el("span", { class: "tags" }, ...entry.tags.map((t) => el("span", { class: "tag", text: t })))),
    ),
    el(
      "div",
      { class: "controls" },
      ...(n.actions ?? []).map((a) => el("a", { class: "action", href: a.url, on: { click: () => void session?.store.markRead([entry.id]) } }, a.label)),
      entry.read
        ? act("Mark unread", `Mark “${entry.title}” unread`, () => void session?.store.markUnread([entry.id]))
        : act("Mark read", `Mark “${entry.title}” read`, () => void session?.store.markRead([entry.id])),
      archived
        ? act("Unarchive", `Unarchive “${entry.title}”`, () => void session?.store.unarchive([entry.id]))
        : act("Archive", `Archive “${entry.title}”`, () => void session?.store.archive([entry.id])),
      archived ? null : act("Snooze 1 h", `Snooze “${entry.title}” for an hour`, () => void session?.store.snooze([entry.id], Date.now() + SNOOZE_MS)),
    ),
  );
}

/**
 * Marks read everything up to the newest item held, so items arriving meanwhile stay unread (the
 * server applies `upToSeq`, docs/api.md#inbox-over-rest).
 */
async function markAll() {
  ui.readAll.disabled = true;
  const before = session.store.getSnapshot().counts.unread;
  if (await session.store.markAllRead()) ui.notice.textContent = before === 1 ? "Marked 1 notification read." : `Marked ${before} notifications read.`;
}

/** ↑/↓/Home/End move between items; focus stays on the list for screen readers' browse mode. */
function onListKey(event) {
  const items = [...ui.list.children];
  const at = items.findIndex((li) => li.contains(document.activeElement));
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
  if (to === undefined || items.length === 0) return;
  event.preventDefault();
  items[Math.max(0, Math.min(items.length - 1, to))].focus();
}

/** ←/→/Home/End move between tabs or radios and select as they go (WAI-ARIA tabs and radio group). */
function onArrowGroup(event, selector) {
  const options = [...event.currentTarget.querySelectorAll(selector)];
  const at = options.indexOf(document.activeElement);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: options.length - 1 }[event.key];
  if (to === undefined || at === -1) return;
  event.preventDefault();
  const next = options[(to + options.length) % options.length];
  next.click();
  // A re-render may have replaced the tab; focus the one now selected.
  (event.currentTarget.querySelector('[aria-selected="true"], [aria-checked="true"]') ?? next).focus();
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

ui.bell.addEventListener("click", () => setOpen(ui.inbox.hidden, { byUser: true }));
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || ui.inbox.hidden || !session) return;
  setOpen(false, { byUser: true });
  ui.bell.focus();
});
ui.readAll.addEventListener("click", () => void markAll());
ui.statusFilter.addEventListener("click", (event) => {
  const radio = event.target.closest("[role=radio]");
  if (!radio || !session) return;
  const choice = radio.dataset.filter;
  session.store.setFilter({ archived: choice === "archived", status: choice === "unread" ? "unread" : "all" });
});
ui.statusFilter.addEventListener("keydown", (event) => onArrowGroup(event, "[role=radio]"));
ui.tabs.addEventListener("keydown", (event) => onArrowGroup(event, "[role=tab]"));
ui.list.addEventListener("keydown", onListKey);
ui.signOut.addEventListener("click", () => {
  stop();
  ui.token.value = "";
  ui.token.focus();
});
ui.list.tabIndex = -1;
setInterval(() => refreshTimes(ui.list), 30_000);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
