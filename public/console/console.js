/**
 * The /console page: asks for an API key (kept in sessionStorage, so it dies with the tab), then
 * polls `GET /v1/stats` every few seconds and keeps the other panels current.
 *
 * One poll loop drives everything, chained with setTimeout so a slow answer never overlaps the
 * next poll. Each panel re-renders only when its data changed, so a poll never steals keyboard
 * focus or undoes a half-finished action (an open discard confirmation, a selected message).
 * Polling pauses while the tab is hidden.
 *
 * The nav bar's links are plain in-page anchors (keyboard and screen readers know them); following
 * one also moves focus to the section, so Tab continues from there, and marks the link current.
 */
import { api, ApiProblem, describeProblem } from "/assets/ui.js";
import { createDeadLetters } from "./dead-letters.js";
import { createOutbox } from "./outbox.js";
import { createPreview } from "./preview.js";
import { createStats } from "./stats.js";
import { createSync } from "./sync.js";
import { createTestSend } from "./test-send.js";

const KEY_STORAGE = "herald.console.key";
/** Stats poll interval, ms: the sparklines plot the change per poll. */
const POLL_MS = 3000;
/** Panels whose data changes rarely (targets, templates) refresh every this many polls. */
const SLOW_EVERY = 5;

const $ = (id) => document.getElementById(id);
const ui = {
  signin: $("signin"),
  keyForm: $("key-form"),
  key: $("api-key"),
  signinError: $("signin-error"),
  dashboard: $("dashboard"),
  pollState: $("poll-state"),
  signOut: $("sign-out"),
};

let apiKey = null;
let timer = null;
let polling = false;
let polls = 0;

/** Calls the API with the key; a 401 means it was rotated away, so the page asks for a new one. */
async function call(path, options = {}) {
  try {
    return await api(path, { ...options, bearer: apiKey });
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401 && apiKey) signOut("The API key was refused. Enter a current one.");
    throw error;
  }
}

const panels = {
  stats: createStats({ call, pollMs: POLL_MS }),
  deadLetters: createDeadLetters({ call }),
  outbox: createOutbox({ call }),
  preview: createPreview({ call }),
  sync: createSync({ call }),
};
createTestSend({ call });

const nav = $("console-nav");

/** Marks the nav link of `hash` current and moves focus to its section (scrolling is the anchor's own). */
function showSection(hash) {
  const links = [...nav.querySelectorAll("a")];
  const section = links.some((link) => link.getAttribute("href") === hash) ? document.getElementById(hash.slice(1)) : null;
  if (!section) return;
  for (const link of links) {
    if (link.getAttribute("href") === hash) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
  section.focus({ preventScroll: true });
}
nav.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='#']");
  if (link) showSection(link.getAttribute("href"));
});
globalThis.addEventListener("hashchange", () => showSection(location.hash));

function setPollState(state, text) {
  ui.pollState.dataset.state = state;
  ui.pollState.textContent = text;
}

async function poll() {
  timer = null;
  if (!apiKey || polling) return;
  if (document.hidden) return; // visibilitychange resumes it
  polling = true;
  const slow = polls % SLOW_EVERY === 0;
  polls++;
  try {
    const stats = await panels.stats.refresh();
    // Panels report their own errors in place; one failing must not stop the others or the loop.
    await Promise.allSettled([
      panels.deadLetters.refresh({ total: stats?.deadLetters?.total, force: slow }),
      panels.outbox.refresh(),
      slow ? panels.sync.refresh(stats) : panels.sync.showLagging(stats),
      slow ? panels.preview.refresh() : null,
    ]);
    if (apiKey) setPollState(stats ? "open" : "reconnecting", stats ? `Live · every ${POLL_MS / 1000} s` : "Stats unavailable");
  } finally {
    polling = false;
    if (apiKey && timer === null) timer = setTimeout(poll, POLL_MS);
  }
}

/** Checks the key with one cheap call, then opens the dashboard and starts polling. */
async function signIn(key) {
  ui.signinError.hidden = true;
  try {
    await api("/v1/dead-letters?limit=1", { bearer: key });
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    ui.signinError.textContent = error instanceof ApiProblem && error.status === 401 ? "That API key was refused." : describeProblem(error);
    ui.signinError.hidden = false;
    return;
  }
  apiKey = key;
  sessionStorage.setItem(KEY_STORAGE, key);
  ui.signin.hidden = true;
  ui.dashboard.hidden = false;
  ui.signOut.hidden = false;
  setPollState("connecting", "Loading…");
  polls = 0;
  panels.stats.reset();
  await poll();
}

function signOut(message = "") {
  apiKey = null;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  sessionStorage.removeItem(KEY_STORAGE);
  ui.dashboard.hidden = true;
  ui.signOut.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.textContent = message;
  ui.signinError.hidden = !message;
  ui.key.value = "";
  setPollState("closed", "Signed out");
  ui.key.focus();
}

ui.keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const key = ui.key.value.trim();
  if (!key) {
    ui.signinError.textContent = "Enter an API key first.";
    ui.signinError.hidden = false;
    ui.key.focus();
    return;
  }
  void signIn(key);
});
ui.signOut.addEventListener("click", () => signOut());
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && apiKey && timer === null && !polling) void poll();
});

const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) void signIn(saved);
