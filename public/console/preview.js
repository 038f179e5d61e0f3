/**
 * Template preview (docs/api.md#templates-and-the-outbox): pick a template, edit the JSON data, see what
 * `POST /v1/templates/{name}/preview` renders — or its 422 naming every missing variable.
 * The data box starts with sample values for the variables the template prints, so the first
 * render shows a realistic result instead of a wall of errors or blanks.
 */
import { ApiProblem, describeProblem, el } from "/assets/ui.js";
import { renderedBody } from "./rendered.js";

/**
 * A sample value for a variable, guessed from its name (the last part of a dotted name): an
 * email address for `email`, a number for `amount` or `balance`, "Ada" for `name`… and otherwise
 * the name itself, so a preview shows where each variable lands. Templates store no example
 * data, so the name is all there is to go on.
 * @param {string} name
 * @returns {string | number}
 */
export function sampleValue(name) {
  const n = name.toLowerCase();
  if (/e-?mail/.test(n)) return "ada@example.com";
  if (/phone|mobile/.test(n)) return "+14155550123";
  if (/url|link|href/.test(n)) return `https://example.com/${name}`;
  if (/currency/.test(n)) return "EUR";
  if (/amount|balance|total|price|count|quantity|number|qty/.test(n)) return 42;
  if (/date|time|(^|_)at$|[a-z]At$/.test(name)) return "2026-01-15T09:30:00Z";
  if (/code|otp|pin/.test(n)) return "123456";
  if (/^target_?id$/.test(n)) return "post-1";
  if (/^(user_?|first_?|full_?|display_?|actor_?)?name$|^username$|^actor(_?id)?$/.test(n)) return "Ada";
  return name;
}

/**
 * Sample data for Mustache templates: every variable a template refers to (`{{name}}`,
 * `{{{name}}}`, `{{& name}}`) gets {@link sampleValue}; a section (`{{#name}}`) gets `true` so its
 * content shows — or the variable's sample when it is also printed (`{{#balance}}…{{balance}}`) —
 * and an inverted-only section (`{{^name}}`) `false`. Dotted names nest. A starting point to
 * edit, not a schema.
 */
export function sampleData(...sources) {
  /** @type {Map<string, Set<string>>} dotted name → the tag kinds it appears with ("" for a plain variable) */
  const uses = new Map();
  const tag = /\{\{\{?\s*([#^&]?)\s*([\w.-]+)\s*\}?\}\}/g;
  for (const source of sources) {
    for (const [, kind, name] of (source ?? "").matchAll(tag)) {
      if (name === ".") continue;
      if (!uses.has(name)) uses.set(name, new Set());
      uses.get(name).add(kind === "&" ? "" : kind);
    }
  }
  const data = {};
  for (const [name, kinds] of uses) {
    const path = name.split(".");
    let node = data;
    for (const key of path.slice(0, -1)) node = node[key] = typeof node[key] === "object" && node[key] !== null ? node[key] : {};
    const leaf = path.at(-1);
    if (typeof node[leaf] === "object" && node[leaf] !== null) continue; // a parent of other variables
    node[leaf] = kinds.has("") ? sampleValue(leaf) : kinds.has("#") ? true : false;
  }
  return data;
}

/**
 * @param {{call: (path: string, options?: object) => Promise<any>}} deps
 * @returns {{refresh: () => Promise<void>}} reloads the template list (kept selection).
 */
export function createPreview({ call }) {
  const form = document.getElementById("preview-form");
  const select = document.getElementById("preview-template");
  const about = document.getElementById("preview-about");
  const data = document.getElementById("preview-data");
  const result = document.getElementById("preview-result");
  /** @type {Map<string, any>} */
  let templates = new Map();
  let shown = null;

  async function refresh() {
    let page;
    try {
      page = await call("/v1/templates?limit=200");
    } catch (error) {
      about.textContent = `Could not load templates: ${describeProblem(error)}`;
      return;
    }
    const signature = JSON.stringify(page.items.map((t) => [t.name, t.updatedAt]));
    if (signature === shown) return;
    shown = signature;
    const current = select.value;
    templates = new Map(page.items.map((t) => [t.name, t]));
    select.replaceChildren(...page.items.map((t) => el("option", { value: t.name, text: `${t.name} (${t.channel})` })));
    if (templates.has(current)) select.value = current;
    else choose();
  }

  /** Shows the chosen template's description and resets the data box to its sample data. */
  function choose() {
    const template = templates.get(select.value);
    about.textContent = template ? [template.channel, template.active ? null : "inactive", template.description].filter(Boolean).join(" · ") : "No templates yet.";
    data.value = template ? JSON.stringify(sampleData(template.subject, template.body), null, 2) : "{}";
  }

  async function render() {
    const name = select.value;
    if (!name) return;
    let parsed;
    try {
      parsed = JSON.parse(data.value || "{}");
    } catch (error) {
      return showErrors("The data is not valid JSON.", [error instanceof Error ? error.message : String(error)]);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return showErrors("The data must be a JSON object.", []);
    try {
      const rendered = await call(`/v1/templates/${encodeURIComponent(name)}/preview`, { method: "POST", body: { data: parsed } });
      result.replaceChildren(
        el("p", { class: "meta" }, el("span", { class: "tag ok", text: "Rendered" }), ` ${rendered.channel}`),
        rendered.subject === null ? "" : el("h3", { text: rendered.subject }),
        ...renderedBody(rendered, `Rendered template ${name}`),
      );
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 422) {
        showErrors(error.message, error.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)));
      } else {
        showErrors(describeProblem(error), []);
      }
    }
  }

  function showErrors(title, lines) {
    result.replaceChildren(
      el("div", { class: "alert", role: "alert" }, el("strong", { text: title }), lines.length ? el("ul", {}, ...lines.map((line) => el("li", { text: line }))) : null),
    );
  }

  select.addEventListener("change", choose);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void render();
  });
  return { refresh };
}
