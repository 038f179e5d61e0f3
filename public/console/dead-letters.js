/**
 * Dead letters (docs/api.md#retries-and-dead-letters): work that exhausted its retries, with its last error. Redrive puts it
 * back on its queue with a fresh attempt budget (the server deletes the letter); discard deletes
 * it after an inline confirmation — no `confirm()` dialog, which would block the page.
 * Each letter is shown by what it was about — the server's `subject`: topic, target, recipient —
 * with its raw ids and payload folded away.
 */
import { describeProblem, el, timeEl } from "/assets/ui.js";

/** Letters listed: the newest page; the server paginates beyond it. */
const PAGE = 100;

/**
 * @param {{call: (path: string, options?: object) => Promise<any>}} deps
 * @returns {{refresh: (options?: {total?: number, force?: boolean}) => Promise<void>}}
 */
export function createDeadLetters({ call }) {
  const rows = document.getElementById("dl-rows");
  const empty = document.getElementById("dl-empty");
  const notice = document.getElementById("dl-notice");
  const source = document.getElementById("dl-source");
  let shown = null;
  let lastTotal;

  /**
   * Reloads the list when asked (`force`), or when the stats' dead-letter total moved — cheap
   * to check every poll. Rows are rebuilt only when the letters changed.
   */
  async function refresh({ total, force = false } = {}) {
    if (!force && total === lastTotal && shown !== null) return;
    lastTotal = total;
    let page;
    try {
      page = await call(`/v1/dead-letters?limit=${PAGE}${source.value ? `&source=${encodeURIComponent(source.value)}` : ""}`);
    } catch (error) {
      notice.textContent = `Could not load dead letters: ${describeProblem(error)}`;
      return;
    }
    const signature = JSON.stringify(page.items.map((d) => [d.id, d.attempts, d.lastError, d.subject?.summary]));
    if (signature === shown) return;
    shown = signature;
    // Rebuilt rows are new nodes: put focus back on the same letter if it was in the table.
    const focusedId = rows.contains(document.activeElement) ? document.activeElement.closest("tr")?.dataset.id : undefined;
    rows.replaceChildren(...page.items.map(row));
    empty.hidden = page.items.length > 0;
    if (focusedId) [...rows.children].find((tr) => tr.dataset.id === focusedId)?.querySelector("button")?.focus();
  }

  function row(letter) {
    const label = letter.sourceId ?? letter.id;
    const actions = el("div", { class: "actions" });
    const tr = el(
      "tr",
      { "data-id": letter.id, "data-source-id": letter.sourceId ?? "" },
      el("td", {}, el("span", { class: "tag", text: letter.source })),
      el("td", {}, ...subjectCell(letter)),
      el("td", { class: "num", text: String(letter.attempts) }),
      el("td", { class: "error-text", text: letter.lastError ?? "—" }),
      el("td", {}, timeEl(letter.createdAt)),
      el("td", {}, actions),
    );
    const showButtons = () => {
      actions.replaceChildren(
        el("button", { type: "button", class: "small", "aria-label": `Redrive ${label}`, on: { click: () => void act(tr, "redrive", letter) } }, "Redrive"),
        el("button", { type: "button", class: "small danger", "aria-label": `Discard ${label}`, on: { click: confirmDiscard } }, "Discard"),
      );
    };
    const confirmDiscard = () => {
      const yes = el("button", { type: "button", class: "small danger", "aria-label": `Yes, discard ${label}`, on: { click: () => void act(tr, "discard", letter) } }, "Yes, discard");
      const no = el("button", { type: "button", class: "small secondary", on: { click: () => (showButtons(), actions.firstElementChild.focus()) } }, "Keep");
      actions.replaceChildren(el("span", { class: "meta", text: "Discard for good?" }), yes, no);
      no.focus();
    };
    showButtons();
    return tr;
  }

  /** The subject's summary, its topic / target / recipient when known, then the ids and payload folded. */
  function subjectCell(letter) {
    const subject = letter.subject;
    const facts = [
      ["Topic", subject?.topic],
      ["Target", subject?.target],
      ["Recipient", subject?.recipient],
    ].filter(([, value]) => value);
    return [
      el("strong", { class: "subject", text: subject?.summary || letter.source }),
      facts.length ? el("div", { class: "meta subject-facts" }, ...facts.map(([name, value]) => el("span", { "data-fact": name.toLowerCase() }, `${name}: `, el("code", { text: value })))) : null,
      el(
        "details",
        {},
        el("summary", { text: "Ids and payload" }),
        el("p", { class: "meta" }, "Letter ", el("code", { text: letter.id }), letter.sourceId ? " · source " : "", letter.sourceId ? el("code", { text: letter.sourceId }) : ""),
        el("pre", { text: JSON.stringify(letter.payload, null, 2) }),
      ),
    ];
  }

  async function act(tr, action, letter) {
    for (const button of tr.querySelectorAll("button")) button.disabled = true;
    try {
      if (action === "redrive") {
        const result = await call(`/v1/dead-letters/${encodeURIComponent(letter.id)}/redrive`, { method: "POST" });
        notice.textContent = `Redriven ${letter.sourceId ?? letter.id}: back on ${result.queue} with a fresh attempt budget.`;
      } else {
        await call(`/v1/dead-letters/${encodeURIComponent(letter.id)}`, { method: "DELETE" });
        notice.textContent = `Discarded ${letter.sourceId ?? letter.id}.`;
      }
    } catch (error) {
      notice.textContent = `Could not ${action} ${letter.sourceId ?? letter.id}: ${describeProblem(error)}`;
      for (const button of tr.querySelectorAll("button")) button.disabled = false;
      return;
    }
    // Keep keyboard users in the table: focus moves to the next letter's first action.
    const next = tr.nextElementSibling ?? tr.previousElementSibling;
    tr.remove();
    empty.hidden = rows.childElementCount > 0;
    next?.querySelector("button")?.focus();
    await refresh({ force: true });
  }

  document.getElementById("dl-refresh").addEventListener("click", () => void refresh({ force: true }));
  source.addEventListener("change", () => void refresh({ force: true }));
  return { refresh };
}
