/**
 * Sync targets (docs/api.md#user-sync) and how far behind each one is: its pending deliveries and the age of
 * the oldest one, from `GET /v1/sync/deliveries?targetId=&status=pending`, plus the stats'
 * `sync.lagging` figure in the header, explained beside the table. One request per target, so this panel refreshes on the
 * slow cadence and lists at most {@link TARGETS} targets.
 */
import { ago, describeProblem, el } from "/assets/ui.js";

const TARGETS = 50;
/** Pending deliveries counted per target; past it the count shows as "200+". */
const PENDING_PAGE = 200;
/** The hover text of the "lagging" tag; the same words stand below the table (#sync-lagging-help) for keyboard and touch. */
const LAGGING_HELP = "Pairs of an enabled target and a user whose latest version that target has not acknowledged yet (on its way, retrying, or dead-lettered). 0: every target is up to date.";

/**
 * @param {{call: (path: string) => Promise<any>}} deps
 * @returns {{refresh: (stats: any) => Promise<void>, showLagging: (stats: any) => void}}
 */
export function createSync({ call }) {
  const rows = document.getElementById("sync-rows");
  const empty = document.getElementById("sync-empty");
  const lagging = document.getElementById("sync-lagging");
  let lastStats = null;

  function showLagging(stats) {
    if (stats !== undefined) lastStats = stats;
    const value = lastStats?.sync?.lagging;
    lagging.hidden = typeof value !== "number";
    lagging.textContent = `${value} lagging`;
    lagging.className = value > 0 ? "tag warn" : "tag ok";
    lagging.title = LAGGING_HELP;
  }

  async function refresh(stats) {
    showLagging(stats);
    let targets;
    try {
      targets = (await call(`/v1/sync/targets?limit=${TARGETS}`)).items;
    } catch (error) {
      rows.replaceChildren(el("tr", {}, el("td", { colspan: "5", class: "error-text", text: `Could not load sync targets: ${describeProblem(error)}` })));
      return;
    }
    const pending = await Promise.all(
      targets.map((t) =>
        call(`/v1/sync/deliveries?targetId=${encodeURIComponent(t.id)}&status=pending&limit=${PENDING_PAGE}`).then(
          (page) => ({ count: page.items.length, more: page.nextCursor !== null, oldest: page.items.at(-1)?.createdAt ?? null }),
          () => null,
        ),
      ),
    );
    rows.replaceChildren(...targets.map((t, i) => row(t, pending[i])));
    empty.hidden = targets.length > 0;
  }

  function row(target, pending) {
    const state = target.enabled ? el("span", { class: "tag ok", text: "enabled" }) : el("span", { class: "tag warn", text: target.disabledReason ? `disabled: ${target.disabledReason}` : "disabled" });
    const lag = pending === null ? "—" : pending.oldest === null ? "up to date" : `${ago(pending.oldest)}${pending.more ? " or earlier" : ""}`;
    return el(
      "tr",
      { "data-id": target.id },
      el("td", {}, el("strong", { text: target.name }), el("div", { class: "meta" }, el("code", { text: target.id }))),
      el("td", {}, el("code", { text: target.url })),
      el("td", {}, state),
      el("td", { class: "num", text: pending === null ? "—" : `${pending.count}${pending.more ? "+" : ""}` }),
      el("td", { text: lag }),
    );
  }

  document.getElementById("sync-refresh").addEventListener("click", () => void refresh(undefined));
  return { refresh, showLagging };
}
