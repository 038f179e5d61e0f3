/**
 * The console's Workflows panel (docs/api.md#workflows): the saved definitions, and for one user
 * id the recent runs with their step timelines (`GET /v1/users/{userId}/workflow-runs`).
 *
 * Self-contained beside the other panels: it reads the console's API key from the same session
 * storage entry console.js keeps, and refreshes while the dashboard is shown — definitions every
 * {@link SLOW_MS}, the open user's runs every {@link POLL_MS} — re-rendering only what changed.
 */
import { ago, api, describeProblem, el } from "/assets/ui.js";

const KEY_STORAGE = "herald.console.key";
const POLL_MS = 3000;
const SLOW_MS = 15_000;
/** Runs shown for one user (the newest). */
const RUNS = 20;

const $ = (id) => document.getElementById(id);
const ui = {
  dashboard: $("dashboard"),
  definitions: $("wf-definitions"),
  definitionsEmpty: $("wf-definitions-empty"),
  form: $("wf-user-form"),
  user: $("wf-user"),
  runs: $("wf-runs"),
  runsNotice: $("wf-runs-notice"),
  refresh: $("wf-refresh"),
};

let userId = "";
let lastDefinitions = "";
let lastRuns = "";
let lastSlow = 0;

const call = (path) => api(path, { bearer: sessionStorage.getItem(KEY_STORAGE) });

/** One definition: its key, version, and its steps as a compact chain. */
function definitionItem(w) {
  const steps = w.steps.map((s) => {
    if (s.type === "delay") return `delay ${s.seconds}s`;
    if (s.type === "digest") return `digest ${s.windowSeconds}s${s.key ? ` by ${s.key}` : ""}`;
    return `${s.type}${s.if && s.if !== "always" ? ` if ${s.if}` : ""} (${s.template})`;
  });
  return el(
    "li",
    { "data-key": w.key },
    el("strong", { text: w.name ?? w.key }),
    " ",
    el("code", { text: w.key }),
    el("span", { class: "meta", text: ` v${w.version}${w.critical ? " · critical" : ""}${w.category ? ` · ${w.category}` : ""}` }),
    el("div", { class: "meta", text: steps.join(" → ") }),
  );
}

/** One run: its status and one line per step (status, when, reason or notification). */
function runItem(run) {
  const tag = run.status === "completed" ? "tag ok" : run.status === "failed" ? "tag warn" : "tag";
  return el(
    "li",
    { "data-run": run.id },
    el("span", { class: tag, text: run.status }),
    " ",
    el("strong", { text: run.workflowKey }),
    el("span", { class: "meta", text: ` v${run.version} · ${ago(run.createdAt)}` }),
    run.error ? el("div", { class: "error-text", text: run.error }) : null,
    el(
      "ol",
      { class: "timeline", "aria-label": `Steps of ${run.id}` },
      ...run.steps.map((s) =>
        el(
          "li",
          { "data-status": s.status },
          el("span", { text: `${s.type}: ${s.status}` }),
          s.reason ? el("span", { class: "meta", text: ` (${s.reason})` }) : null,
          s.at ? el("span", { class: "meta", text: ` · ${ago(s.at)}` }) : null,
          s.notificationId ? el("div", { class: "meta" }, el("code", { text: s.notificationId })) : null,
        ),
      ),
    ),
  );
}

async function refreshDefinitions() {
  let page;
  try {
    page = await call("/v1/workflows?limit=200");
  } catch (error) {
    ui.definitions.replaceChildren(el("li", { class: "error-text", text: `Could not load workflows: ${describeProblem(error)}` }));
    return;
  }
  const text = JSON.stringify(page.items);
  if (text === lastDefinitions) return;
  lastDefinitions = text;
  ui.definitions.replaceChildren(...page.items.map(definitionItem));
  ui.definitionsEmpty.hidden = page.items.length > 0;
}

async function refreshRuns() {
  if (!userId) return;
  let page;
  try {
    page = await call(`/v1/users/${encodeURIComponent(userId)}/workflow-runs?limit=${RUNS}`);
  } catch (error) {
    ui.runsNotice.textContent = `Could not load runs: ${describeProblem(error)}`;
    return;
  }
  const text = JSON.stringify(page.items);
  ui.runsNotice.textContent = page.items.length === 0 ? `No runs for ${userId}.` : `${page.items.length} most recent runs of ${userId}.`;
  if (text === lastRuns) return;
  lastRuns = text;
  ui.runs.replaceChildren(...page.items.map(runItem));
}

async function tick() {
  if (!ui.dashboard.hidden && !document.hidden && sessionStorage.getItem(KEY_STORAGE)) {
    if (Date.now() - lastSlow >= SLOW_MS) {
      lastSlow = Date.now();
      await refreshDefinitions();
    }
    await refreshRuns();
  }
  setTimeout(tick, POLL_MS);
}

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  userId = ui.user.value.trim();
  lastRuns = "";
  ui.runs.replaceChildren();
  void refreshRuns();
});
ui.refresh.addEventListener("click", () => {
  lastSlow = Date.now();
  void refreshDefinitions();
  void refreshRuns();
});
void tick();
