/**
 * "At a glance": tiles for the figures of `GET /v1/stats` (docs/api.md#stats-and-metrics), each with an inline SVG
 * sparkline of the last hour, one point per minute. Past minutes come from the server's history
 * (`GET /v1/stats/history`: the cron samples the counters every minute), so the charts are full
 * on load; the current minute is filled in live from the polls of `/v1/stats` (the change between
 * two polls, added up). Counters chart their change per minute; gauges (online users) their value.
 *
 * Every figure is read defensively: a key the server does not send shows "—" instead of breaking
 * the panel, so the console keeps working while the stats shape grows (and without history, the
 * charts simply start from the live minute).
 */
import { describeProblem, el } from "/assets/ui.js";

/** Minutes per sparkline: the last hour. */
const MINUTES = 60;
const MINUTE_MS = 60_000;
/** Fewest slots a sparkline is drawn over (each minute is one slot). */
const MIN_SLOTS = 10;
const SVG_NS = "http://www.w3.org/2000/svg";

const numberFormat = new Intl.NumberFormat();
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

/** The value when it is a finite number, else null. */
const num = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const count = (value) => (num(value) === null ? "—" : numberFormat.format(value));
/** Rates arrive as fractions (0..1). */
const percent = (value) => (num(value) === null ? "—" : `${(value * 100).toFixed(value === 0 || value === 1 ? 0 : 1)}%`);
const ms = (value) => (num(value) === null ? "—" : `${numberFormat.format(Math.round(value))} ms`);

/** Sum of every number in an object, nested objects included (counts by status, by channel); null when there is none. */
function total(value) {
  if (value === null || typeof value !== "object") return num(value);
  let sum = null;
  for (const inner of Object.values(value)) {
    const n = total(inner);
    if (n !== null) sum = (sum ?? 0) + n;
  }
  return sum;
}

/** "delivered 3 · read 1" for the named keys of a by-status object that are present. */
function statusLine(byStatus, keys) {
  if (!byStatus || typeof byStatus !== "object") return "";
  return keys.filter((k) => num(byStatus[k]) !== null).map((k) => `${k} ${count(byStatus[k])}`).join(" · ");
}

const latency = (l) => (l && typeof l === "object" ? `p50 ${ms(l.p50)} · p95 ${ms(l.p95)}` : "");

/**
 * The tiles. `series.of` reads the figure charted from `/v1/stats`, `series.past` the same figure
 * from a history sample; `delta` charts its change per minute.
 * @type {{id: string, label: string, value: (s: any) => string, sub: (s: any) => string, series: {of: (s: any) => number | null, past: (h: any) => number | null, delta: boolean, unit: string}}[]}
 */
const TILES = [
  {
    id: "notifications",
    label: "Notifications",
    value: (s) => count(s.notifications?.total),
    // Every in-app status (schema.ts `deliveries.status`), so the parts add up to the total.
    sub: (s) => statusLine(s.notifications?.byStatus, ["queued", "sent", "delivered", "read", "failed", "expired", "recalled", "skipped"]),
    series: { of: (s) => num(s.notifications?.total), past: (h) => num(h.counters?.accepted), delta: true, unit: "new notifications" },
  },
  {
    id: "deliveries",
    label: "Delivery success",
    value: (s) => percent(s.deliveries?.successRate),
    sub: (s) => latency(s.deliveries?.latencyMs),
    series: { of: (s) => total(s.deliveries?.byChannel), past: (h) => total([h.counters?.sent, h.counters?.failed, h.counters?.skipped]), delta: true, unit: "delivery updates" },
  },
  {
    id: "messages",
    label: "Topic messages",
    value: (s) => count(total(s.messages?.byStatus)),
    sub: (s) => statusLine(s.messages?.byStatus, ["completed", "processing", "failed"]),
    series: { of: (s) => total(s.messages?.byStatus), past: (h) => num(h.counters?.topicMessages), delta: true, unit: "new messages" },
  },
  {
    id: "dead-letters",
    label: "Dead letters",
    value: (s) => count(s.deadLetters?.total),
    sub: (s) => statusLine(s.deadLetters?.bySource, ["message", "channel", "sync", "behaviour"]),
    series: { of: (s) => num(s.deadLetters?.total), past: (h) => (h.gauges?.deadLettersWaiting ? (total(h.gauges.deadLettersWaiting) ?? 0) : null), delta: true, unit: "dead letters" },
  },
  {
    id: "batch",
    label: "Batch duplicates",
    value: (s) => percent(s.batch?.duplicateRate),
    sub: (s) => (s.batch ? `${count(s.batch.items)} items · conflicts ${percent(s.batch.conflictRate)}` : ""),
    series: { of: (s) => num(s.batch?.items), past: (h) => num(h.counters?.batchItems), delta: true, unit: "batch items" },
  },
  {
    id: "behaviours",
    label: "Behaviours applied",
    value: (s) => count(s.behaviours?.applied),
    sub: (s) => (s.behaviours ? `duplicates suppressed ${count(s.behaviours.duplicatesSuppressed)}` : ""),
    series: { of: (s) => num(s.behaviours?.applied), past: (h) => num(h.counters?.behavioursApplied), delta: true, unit: "behaviours applied" },
  },
  {
    id: "sync",
    label: "Sync success",
    value: (s) => percent(s.sync?.successRate),
    sub: (s) => (s.sync ? `lagging ${count(s.sync.lagging)} · ${latency(s.sync.latencyMs)}` : ""),
    series: { of: (s) => total(s.sync?.deliveries), past: (h) => num(h.counters?.syncFinished), delta: true, unit: "sync deliveries" },
  },
  {
    id: "presence",
    label: "Online users",
    value: (s) => count(s.presence?.onlineUsers),
    sub: (s) => (s.presence ? `${count(s.presence.connections)} connections` : ""),
    series: { of: (s) => num(s.presence?.onlineUsers), past: (h) => num(h.gauges?.onlineUsers), delta: false, unit: "users online" },
  },
];

/**
 * A sparkline: the line and the area under it, newest on the right, scaled to the range of the
 * values shown (and 0). Labelled for screen readers with the latest and highest value.
 * @param {number[]} values
 * @param {string} label
 */
function sparkline(values, label) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 100 32");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const low = Math.min(0, ...values);
  const high = Math.max(low + 1, ...values);
  // The zero line spans the whole chart, so its time window shows before the history fills it.
  const base = document.createElementNS(SVG_NS, "line");
  const zeroY = (30 - ((0 - low) / (high - low)) * 28).toFixed(2);
  for (const [name, value] of [["class", "spark-base"], ["x1", "0"], ["x2", "100"], ["y1", zeroY], ["y2", zeroY]]) base.setAttribute(name, value);
  svg.append(base);
  if (values.length === 0) return svg;
  // Until the history fills, it spreads over fewer slots, so a fresh page already shows a shape.
  const step = 100 / (Math.max(MIN_SLOTS, values.length) - 1);
  const x0 = 100 - (values.length - 1) * step;
  const points = values.map((v, i) => [x0 + i * step, 30 - ((v - low) / (high - low)) * 28]);
  if (points.length === 1) points.unshift([x0 - step, points[0][1]]);
  const line = points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(2)} ${y.toFixed(2)}`).join(" ");
  const area = document.createElementNS(SVG_NS, "path");
  area.setAttribute("class", "spark-area");
  area.setAttribute("d", `${line} L${points.at(-1)[0].toFixed(2)} 32 L${points[0][0].toFixed(2)} 32 Z`);
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("class", "spark-line");
  path.setAttribute("d", line);
  svg.append(area, path);
  return svg;
}

/**
 * Per-minute values of one tile from history `samples` (oldest first), as `[minuteMs, value]`:
 * a counter's change from the sample of the minute before (a sample is taken at the start of its
 * minute, so the change belongs to that minute before), a gauge's value. Minutes with a sample
 * missing on either side are left out rather than guessed.
 * @param {any[]} samples
 * @param {{past: (h: any) => number | null, delta: boolean}} series
 * @returns {[number, number][]}
 */
function minutesFromHistory(samples, series) {
  const points = [];
  for (let i = 0; i < samples.length; i++) {
    const at = Date.parse(samples[i]?.at);
    const value = series.past(samples[i]);
    if (!Number.isFinite(at) || value === null) continue;
    if (!series.delta) {
      points.push([at, value]);
      continue;
    }
    const before = i > 0 ? series.past(samples[i - 1]) : null;
    if (before !== null && Date.parse(samples[i - 1]?.at) === at - MINUTE_MS) points.push([at - MINUTE_MS, value - before]);
  }
  return points;
}

/**
 * The stats panel.
 * @param {{call: (path: string) => Promise<any>, pollMs: number}} deps
 * @returns {{refresh: () => Promise<any | null>, reset: () => void}} `refresh` resolves to the stats, or null when they could not be read.
 */
export function createStats({ call, pollMs }) {
  const tilesRoot = document.getElementById("tiles");
  const updated = document.getElementById("stats-updated");
  const notice = document.getElementById("stats-notice");
  const tiles = new Map();
  for (const tile of TILES) {
    const value = el("p", { class: "value", text: "—" });
    const sub = el("p", { class: "sub" });
    const chart = el("div", { class: "chart" });
    tilesRoot.append(el("div", { class: "tile", role: "group", "aria-label": tile.label, "data-tile": tile.id }, el("p", { class: "label", text: tile.label }), value, sub, chart));
    tiles.set(tile.id, { value, sub, chart, past: [], live: new Map(), previous: null });
  }
  let lastAt = 0;
  let historyAt = 0;

  function reset() {
    for (const t of tiles.values()) {
      t.past = [];
      t.live = new Map();
      t.previous = null;
    }
    lastAt = 0;
    historyAt = 0;
  }

  /** Reloads the past minutes from the server, at most once a minute; without history the charts keep their live minutes. */
  async function loadHistory(now) {
    if (now - historyAt < MINUTE_MS) return;
    historyAt = now;
    let history;
    try {
      history = await call(`/v1/stats/history?minutes=${MINUTES + 1}`);
    } catch {
      return;
    }
    const samples = Array.isArray(history?.samples) ? history.samples : [];
    for (const tile of TILES) tiles.get(tile.id).past = minutesFromHistory(samples, tile.series);
  }

  async function refresh() {
    let stats;
    try {
      stats = await call("/v1/stats");
    } catch (error) {
      notice.textContent = `Stats unavailable: ${describeProblem(error)}`;
      return null;
    }
    if (!stats || typeof stats !== "object") stats = {};
    notice.textContent = "";
    const now = Date.now();
    await loadHistory(now);
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    // After a pause (hidden tab, slow server) the next difference would cover many polls and
    // belong to no one minute, so the series restart from the current value instead.
    const gap = lastAt !== 0 && now - lastAt > pollMs * 2.5;
    lastAt = now;
    for (const tile of TILES) {
      const t = tiles.get(tile.id);
      t.value.textContent = tile.value(stats);
      t.sub.textContent = tile.sub(stats) || "\u00a0";
      const current = tile.series.of(stats);
      if (gap) t.previous = null;
      if (current !== null) {
        if (!tile.series.delta) t.live.set(minute, current);
        else if (t.previous !== null) t.live.set(minute, (t.live.get(minute) ?? 0) + current - t.previous);
        t.previous = current;
      }
      // The server's minutes win; live ones fill the minutes it has not sampled yet.
      const byMinute = new Map([...t.live, ...t.past]);
      for (const at of byMinute.keys()) if (at <= minute - MINUTES * MINUTE_MS) byMinute.delete(at);
      for (const at of t.live.keys()) if (!byMinute.has(at)) t.live.delete(at);
      const values = [...byMinute].sort(([a], [b]) => a - b).map(([, v]) => v);
      const latest = values.at(-1);
      const label =
        latest === undefined
          ? `${tile.label}: no activity recorded yet`
          : `${tile.label}, ${tile.series.delta ? `${tile.series.unit} per minute` : tile.series.unit} over the last ${values.length} minutes: latest ${latest}, peak ${Math.max(...values)}`;
      t.chart.replaceChildren(sparkline(values, label));
    }
    const generated = typeof stats.generatedAt === "string" ? new Date(stats.generatedAt) : new Date();
    updated.textContent = `Updated ${timeFormat.format(generated)}${typeof stats.window === "string" ? ` · counts over ${stats.window}` : ""}`;
    return stats;
  }

  return { refresh, reset };
}
