/**
 * Template preview (docs/api.md#templates-and-the-outbox): pick a template, edit the JSON data, see what
 * `POST /v1/templates/{name}/preview` renders — or its 422 naming every missing variable.
 * The data box starts with a skeleton of the variables the template prints, so the first
 * render shows the real result instead of a wall of errors.
 */
import { ApiProblem, describeProblem, el } from "/assets/ui.js";
import { renderedBody } from "./rendered.js";

/**
 * Variables a Mustache template refers to: `{{name}}`, `{{{name}}}`, `{{& name}}` become "",
 * sections (`{{#name}}`, `{{^name}}`) become `false` (a switch to flip, or a value or list to
 * give); dotted names nest. A starting point to edit, not a schema.
 */
export function dataSkeleton(...sources) {
  const data = {};
  const tag = /\{\{\{?\s*([#^&]?)\s*([\w.-]+)\s*\}?\}\}/g;
  for (const source of sources) {
    for (const [, kind, name] of (source ?? "").matchAll(tag)) {
      if (name === ".") continue;
      const path = name.split(".");
      let node = data;
      for (const key of path.slice(0, -1)) node = node[key] = typeof node[key] === "object" && node[key] !== null ? node[key] : {};
      const leaf = path.at(-1);
      if (!(leaf in node)) node[leaf] = kind === "#" || kind === "^" ? false : "";
    }
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

  /** Shows the chosen template's description and resets the data box to its skeleton. */
  function choose() {
    const template = templates.get(select.value);
    about.textContent = template ? [template.channel, template.active ? null : "inactive", template.description].filter(Boolean).join(" · ") : "No templates yet.";
    data.value = template ? JSON.stringify(dataSkeleton(template.subject, template.body), null, 2) : "{}";
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
