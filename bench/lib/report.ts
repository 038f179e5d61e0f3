/**
 * Result rows, the stdout table and `bench/results.json`. A row compares Herald's median with a
 * baseline's median measured in the same run, as a ratio against a target (issue 8): absolute
 * figures drift between machines and runs, ratios measured side by side much less.
 */
import { cpus, totalmem } from "node:os";
import { spreadPercent, summarise, type Summary } from "./stats.ts";

/**
 * What a row must meet. `ratio`: herald / baseline (medians) compared with `value`;
 * `absolute`: Herald's median itself; `report`: shown, not judged.
 */
export type Target =
  | { kind: "ratio"; op: ">=" | "<="; value: number }
  | { kind: "absolute"; op: ">=" | "<=" | "="; value: number }
  | { kind: "report" };

/** One line of the results, as written to results.json. */
export interface ResultRow {
  scenario: string;
  metric: string;
  unit: string;
  herald: Summary;
  baseline: (Summary & { name: string }) | null;
  /** herald.median / baseline.median, or null without a baseline. */
  ratio: number | null;
  target: Target & { text: string };
  /** null when the target is `report`. */
  pass: boolean | null;
}

/** The whole results file. Durations in seconds. */
export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string };
  /**
   * 1-minute load average when the run started and ended: the bench shares the machine with
   * whatever else runs, and a load above the CPU count means the figures were taken under contention.
   */
  loadAverage: { start: number; end: number };
  versions: Record<string, string>;
  commit: string;
  rows: ResultRow[];
  /** What a reader needs to interpret the figures (workload sizes, rates, caveats). */
  notes: string[];
}

const compare = (value: number, op: ">=" | "<=" | "=", limit: number) => (op === ">=" ? value >= limit : op === "<=" ? value <= limit : value === limit);

/**
 * Builds a row from raw repetition samples.
 * @param herald Herald's value per repetition.
 * @param baseline the baseline's value per repetition and its name, or null.
 */
export function resultRow(
  scenario: string,
  metric: string,
  unit: string,
  herald: readonly number[],
  baseline: { name: string; samples: readonly number[] } | null,
  target: Target,
): ResultRow {
  const heraldSummary = summarise(herald);
  const baselineSummary = baseline ? { name: baseline.name, ...summarise(baseline.samples) } : null;
  const ratio = baselineSummary && baselineSummary.median !== 0 ? heraldSummary.median / baselineSummary.median : null;
  let pass: boolean | null = null;
  let text = "report";
  if (target.kind === "ratio") {
    pass = ratio !== null && compare(ratio, target.op, target.value);
    text = `${target.op === ">=" ? "≥" : "≤"} ${target.value}× ${baseline?.name ?? "baseline"}`;
  } else if (target.kind === "absolute") {
    pass = compare(heraldSummary.median, target.op, target.value);
    text = `${target.op === ">=" ? "≥" : target.op === "<=" ? "≤" : "="} ${formatNumber(target.value)} ${unit}`;
  }
  return { scenario, metric, unit, herald: heraldSummary, baseline: baselineSummary, ratio, target: { ...target, text }, pass };
}

/** Thousands separators from 100 up, three significant digits below. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (value === 0) return "0";
  return Number(value.toPrecision(3)).toString();
}

/** `median ±spread%` of a summary, e.g. `12,345 ±4%`. */
export function formatSummary(summary: Summary): string {
  const spread = spreadPercent(summary);
  return summary.samples.length > 1 && summary.max !== summary.min ? `${formatNumber(summary.median)} ±${spread < 10 ? spread.toFixed(1) : Math.round(spread)}%` : formatNumber(summary.median);
}

/** The cells of a row, shared by the stdout table and the README table. */
export function rowCells(row: ResultRow): string[] {
  return [
    row.scenario,
    `${row.metric} (${row.unit})`,
    formatSummary(row.herald),
    row.baseline ? `${formatSummary(row.baseline)} (${row.baseline.name})` : "—",
    row.ratio === null ? "—" : `${formatNumber(row.ratio)}×`,
    row.target.text,
    row.pass === null ? "—" : row.pass ? "pass" : "FAIL",
  ];
}

export const TABLE_HEADER = ["Scenario", "Metric", "Herald", "Baseline", "Ratio", "Target", "Pass"];

/** A plain-text table with aligned columns, for stdout. */
export function formatTable(rows: readonly ResultRow[]): string {
  const lines = [TABLE_HEADER, ...rows.map(rowCells)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...lines.map((cells) => [...cells[i]!].length)));
  const render = (cells: string[]) => cells.map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length)).join("  ").trimEnd();
  return [render(lines[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...lines.slice(1).map(render)].join("\n");
}

/** The machine the bench ran on, as results.json records it. */
export function machineInfo(): BenchResults["machine"] {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
  };
}
