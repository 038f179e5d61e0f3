/**
 * The dev outbox (docs/api.md#templates-and-the-outbox): what the `outbox` provider stored instead of sending — rendered
 * emails, SMS and push messages, newest first; pick one to see it as rendered (rendered.js).
 */
import { describeProblem, el, timeEl } from "/assets/ui.js";
import { renderedBody } from "./rendered.js";

const PAGE = 50;

/**
 * @param {{call: (path: string) => Promise<any>}} deps
 * @returns {{refresh: () => Promise<void>}}
 */
export function createOutbox({ call }) {
  const list = document.getElementById("outbox-list");
  const viewer = document.getElementById("outbox-viewer");
  const empty = document.getElementById("outbox-empty");
  const split = document.getElementById("outbox-split");
  const filter = document.getElementById("outbox-filter");
  let channel = "";
  let shown = null;
  let selected = null;
  /** @type {Map<string, any>} */
  let byId = new Map();

  async function refresh() {
    let page;
    try {
      page = await call(`/v1/outbox?limit=${PAGE}${channel ? `&channel=${channel}` : ""}`);
    } catch (error) {
      viewer.replaceChildren(el("p", { class: "error-text", text: `Could not load the outbox: ${describeProblem(error)}` }));
      shown = null;
      return;
    }
    const signature = JSON.stringify([channel, page.items.map((m) => m.id)]);
    if (signature === shown) return;
    shown = signature;
    byId = new Map(page.items.map((m) => [m.id, m]));
    const hadFocus = list.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
    list.replaceChildren(...page.items.map(entry));
    empty.hidden = page.items.length > 0;
    split.hidden = page.items.length === 0;
    if (hadFocus) list.querySelector(`button[data-id="${CSS.escape(hadFocus)}"]`)?.focus();
    if (selected && !byId.has(selected)) select(null);
  }

  function entry(message) {
    const summary = message.subject ?? message.body;
    return el(
      "li",
      {},
      el(
        "button",
        { type: "button", "data-id": message.id, "aria-pressed": String(message.id === selected), on: { click: () => select(message.id) } },
        el("span", {}, el("span", { class: "tag", text: message.channel }), " ", el("strong", { text: summary.length > 60 ? `${summary.slice(0, 60)}…` : summary })),
        el("span", { class: "meta" }, `to ${message.recipient ?? "—"} · `, timeEl(message.createdAt)),
      ),
    );
  }

  function select(id) {
    selected = id;
    for (const button of list.querySelectorAll("button[data-id]")) button.setAttribute("aria-pressed", String(button.dataset.id === id));
    const message = id === null ? undefined : byId.get(id);
    if (!message) {
      viewer.replaceChildren(el("p", { class: "meta", text: "Pick a message to see it as it was rendered." }));
      return;
    }
    const meta = el(
      "dl",
      { class: "meta" },
      el("dt", { text: "Channel" }), el("dd", { text: message.channel }),
      el("dt", { text: "To" }), el("dd", { text: message.recipient ?? "—" }),
      el("dt", { text: "Notification" }), el("dd", {}, el("code", { text: message.notificationId })),
      el("dt", { text: "Stored" }), el("dd", {}, timeEl(message.createdAt)),
    );
    viewer.replaceChildren(
      el("h3", { text: message.subject ?? (message.channel === "sms" ? "SMS" : "Push message") }),
      meta,
      ...renderedBody(message, `Rendered email: ${message.subject ?? "no subject"}`),
    );
  }

  filter.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-channel]");
    if (!button) return;
    channel = button.dataset.channel;
    for (const b of filter.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
    void refresh();
  });
  return { refresh };
}
