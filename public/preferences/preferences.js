/**
 * The hosted preference page, `/preferences?token=` (docs/api.md#preferences): a user opens it from
 * an email (`{{preferencesUrl}}`) or from /inbox, sees their effective preferences and changes them.
 * The signed token in the URL is the only credential; every change is one RFC 7396 merge patch
 * (`PATCH /v1/preferences/by-link`) sent with `If-Match`, and on 412 the page reloads the document
 * instead of overwriting a change made elsewhere.
 */
import { describeProblem, el } from "/assets/ui.js";

const CHANNELS = [
  ["in_app", "In-app"],
  ["email", "Email"],
  ["sms", "SMS"],
  ["push", "Push"],
];

const token = new URL(location.href).searchParams.get("token") ?? "";
const endpoint = `/v1/preferences/by-link?token=${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);

/** The document as last loaded or saved; `version` is what the next patch must match. */
let doc = null;

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

async function request(method, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) {
    headers["content-type"] = "application/merge-patch+json";
    headers["if-match"] = `"${doc.version}"`;
  }
  const response = await fetch(endpoint, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.detail ?? `HTTP ${response.status}`), { status: response.status, code: data.code });
  return data;
}

/** One labelled switch; `onChange(checked)` sends the patch. */
function toggle(id, label, checked, onChange) {
  const input = el("input", { type: "checkbox", id, role: "switch" });
  input.checked = checked;
  input.addEventListener("change", () => void onChange(input.checked, input));
  return el("label", { class: "switch", for: id }, input, el("span", { text: label }));
}

/** Sends `patch`; on success renders the answer, on a stale version reloads, else shows why. */
async function save(patch, input) {
  setStatus("connecting", "Saving…");
  for (const box of document.querySelectorAll("input[type=checkbox]")) box.disabled = true;
  try {
    render(await request("PATCH", patch));
    setStatus("open", "Saved");
  } catch (error) {
    if (error.status === 412) {
      render(await request("GET"));
      setStatus("reconnecting", "Changed elsewhere — reloaded, try again");
    } else {
      if (input) input.checked = !input.checked;
      setStatus("closed", "Not saved");
      showError(describeProblem(error));
    }
  } finally {
    for (const box of document.querySelectorAll("input[type=checkbox]")) box.disabled = false;
  }
}

function render(next) {
  doc = next;
  $("channels").replaceChildren(
    ...CHANNELS.map(([channel, label]) => el("li", {}, toggle(`channel-${channel}`, label, doc.channels[channel], (on, input) => save({ channels: { [channel]: on } }, input)))),
  );
  const names = [...new Set([...Object.keys(doc.categories), ...Object.keys(doc.unsubscribed)])].sort();
  $("no-categories").hidden = names.length > 0;
  $("categories").replaceChildren(
    ...names.map((name) => {
      const prefs = doc.categories[name] ?? {};
      const enabled = prefs.enabled !== false;
      const perChannel = CHANNELS.map(([channel, label]) => {
        const on = prefs.channels?.[channel] !== false && doc.unsubscribed[name]?.[channel] !== true;
        // Switching a channel back on also lifts an unsubscribe from an email link.
        const patch = (value) => ({ categories: { [name]: { channels: { [channel]: value } } }, ...(value && doc.unsubscribed[name]?.[channel] ? { unsubscribed: { [name]: { [channel]: null } } } : {}) });
        return toggle(`category-${name}-${channel}`, `${label}`, on, (value, input) => save(patch(value), input));
      });
      return el(
        "li",
        { class: "category", "data-category": name },
        toggle(`category-${name}`, name, enabled, (on, input) => save({ categories: { [name]: { enabled: on } } }, input)),
        el("div", { class: "category-channels", role: "group", "aria-label": `${name} channels` }, ...perChannel),
      );
    }),
  );
  $("channels-card").hidden = false;
  $("categories-card").hidden = false;
}

async function load() {
  if (!token) {
    setStatus("closed", "No link");
    showError("Open this page from the link in one of your notifications.");
    return;
  }
  try {
    render(await request("GET"));
    setStatus("open", "Up to date");
  } catch (error) {
    setStatus("closed", "Not loaded");
    showError(error.status === 400 ? "This link is invalid or has expired. Open the page again from a recent notification." : describeProblem(error));
  }
}

void load();
