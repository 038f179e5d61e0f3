/**
 * "Send a test notification" (docs/api.md#notifications): one in-app notification to a user id
 * through `POST /v1/notifications`, then its in-app delivery status from
 * `GET /v1/notifications/{id}` until the inbox has taken it (`sent`, or `delivered` once a device
 * acked) or {@link WATCH_MS} pass. A refusal shows the problem document's errors.
 */
import { ApiProblem, describeProblem, el } from "/assets/ui.js";

/** How long the delivery status is watched after sending, ms. */
const WATCH_MS = 15_000;
/** Interval between status reads, ms. */
const WATCH_EVERY_MS = 500;
/** In-app statuses after which nothing more happens without the user (docs/api.md#delivery-statuses). */
const SETTLED = new Set(["sent", "delivered", "read", "failed", "expired", "recalled", "skipped"]);

/**
 * Wires the form: validates the user id and title in place, sends, then watches the status.
 * @param {{call: (path: string, options?: object) => Promise<any>}} deps `call` is the console's API call with the key.
 */
export function createTestSend({ call }) {
  const form = document.getElementById("test-send-form");
  const user = document.getElementById("test-user");
  const title = document.getElementById("test-title");
  const body = document.getElementById("test-body");
  const result = document.getElementById("test-send-result");
  const button = form.querySelector("button[type=submit]");
  /** Each send gets a number, so a slower earlier watch never overwrites a later send's result. */
  let sends = 0;

  async function send() {
    const userId = user.value.trim();
    if (!userId || !title.value.trim()) {
      showError("Give a user id and a title.", []);
      (userId ? title : user).focus();
      return;
    }
    const mine = ++sends;
    button.disabled = true;
    let accepted;
    try {
      accepted = await call("/v1/notifications", {
        method: "POST",
        body: { userId, title: title.value.trim(), ...(body.value.trim() ? { body: body.value.trim() } : {}), channels: ["in_app"] },
      });
    } catch (error) {
      if (error instanceof ApiProblem && error.errors.length > 0) showError(error.message, error.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)));
      else showError(describeProblem(error), []);
      return;
    } finally {
      button.disabled = false;
    }
    const status = el("span", { class: "tag", "data-status": "queued", text: "queued" });
    result.replaceChildren(
      el("p", {}, el("span", { class: "tag ok", text: "Accepted" }), " ", el("code", { text: accepted.id })),
      el("dl", { class: "meta" }, el("dt", { text: "To" }), el("dd", { text: userId }), el("dt", { text: "in_app" }), el("dd", { id: "test-send-status" }, status)),
    );
    await watch(accepted.id, status, mine);
  }

  /** Reads the in-app delivery status until it settles, the watch times out, or a newer send starts. */
  async function watch(id, status, mine) {
    const deadline = Date.now() + WATCH_MS;
    while (mine === sends && Date.now() < deadline) {
      let current;
      try {
        const view = await call(`/v1/notifications/${encodeURIComponent(id)}`);
        current = view.deliveries?.find((d) => d.channel === "in_app")?.status;
      } catch {
        // A failed read is retried until the deadline.
      }
      if (current && mine === sends) {
        status.textContent = current;
        status.dataset.status = current;
        status.className = current === "failed" || current === "expired" ? "tag warn" : SETTLED.has(current) ? "tag ok" : "tag";
        if (SETTLED.has(current)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
    }
  }

  function showError(message, lines) {
    result.replaceChildren(el("div", { class: "alert", role: "alert" }, el("strong", { text: message }), lines.length ? el("ul", {}, ...lines.map((line) => el("li", { text: line }))) : null));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });
}
