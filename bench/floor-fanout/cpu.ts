/** Reading a local runtime's CPU use, for figures per CPU-second that a loaded machine disturbs less than wall-clock rates. */
import { readFileSync } from "node:fs";
import { groupProcesses } from "../../scripts/local-server.ts";

/** CPU seconds (user + system) the runtime's processes have used so far (Linux /proc, 100 ticks/s). */
export function runtimeCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const { pid } of groupProcesses(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited meanwhile.
    }
  }
  return ticks / 100;
}

