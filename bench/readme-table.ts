/**
 * `npm run bench:readme`: writes the benchmark table of `bench/results.json` (the last full
 * `npm run bench`) into README.md, between the `<!-- bench:start -->` and `<!-- bench:end -->`
 * markers, so the README only ever shows measured figures. Quick runs (results.local.json) are
 * never copied: they are too small to quote.
 *
 * @throws (exit 1) when results.json is missing or from a quick run, or the markers are missing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatNumber, rowCells, TABLE_HEADER, type BenchResults } from "./lib/report.ts";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";
const RESULTS = fileURLToPath(new URL("results.json", import.meta.url));
const README = fileURLToPath(new URL("../README.md", import.meta.url));

/** Markdown for the results: a one-line provenance, the table, and the run's notes. */
function renderTable(results: BenchResults): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const met = results.rows.filter((r) => r.pass === true).length;
  const judged = results.rows.filter((r) => r.pass !== null).length;
  const { machine, versions } = results;
  const load = `, 1-min load average ${formatNumber(results.loadAverage.start)} → ${formatNumber(results.loadAverage.end)}`;
  return [
    `Measured ${results.generatedAt.slice(0, 10)} at \`${results.commit}\` by \`npm run bench\` (${results.durationSeconds} s): ${machine.cpus} × ${machine.cpuModel}${load}; ` +
      `Node ${versions.node}, workerd ${versions.workerd} (wrangler ${versions.wrangler}), SQLite ${versions.sqlite}. ${met} of ${judged} targets met. ` +
      `Herald and baseline columns are medians ± half their range over the repetitions.`,
    "",
    `| ${TABLE_HEADER.join(" | ")} |`,
    `|${TABLE_HEADER.map(() => " --- ").join("|")}|`,
    ...results.rows.map((row) => `| ${rowCells(row).map(escape).join(" | ")} |`),
    "",
    ...results.notes.map((note) => `- ${note}`),
  ].join("\n");
}

function main(): void {
  const results = JSON.parse(readFileSync(RESULTS, "utf8")) as BenchResults;
  if (results.quick) throw new Error(`${RESULTS} is from a quick run; run the full \`npm run bench\` first.`);
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section to fill.`);
  writeFileSync(README, `${readme.slice(0, start + START.length)}\n${renderTable(results)}\n${readme.slice(end)}`);
  console.log(`README.md: benchmark table from ${results.generatedAt} (${results.commit}).`);
}

if (import.meta.filename === process.argv[1]) {
  try {
    main();
  } catch (error) {
    console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
