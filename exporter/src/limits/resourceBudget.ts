import { availableParallelism, totalmem } from 'node:os';
import { MIB } from './memorySize';

/** Memory this process may plan with: the machine's, or the container's limit when lower. */
export function machineMemoryBytes(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const total = totalmem();
  // cgroup v1 reports "no limit" as a huge number: only a limit below the machine's counts.
  return constrained > 0 && constrained < total ? constrained : total;
}

/** Share of the machine's memory that DuckDB scans may use together; the rest is for the OS, Node and the state store. */
const SCAN_MEMORY_SHARE = 0.5;

export interface DuckDbResources {
  threads: number;
  memoryLimitBytes: number;
}

/**
 * Defaults for a DuckDB engine when its source sets no `threads:`/`memory_limit:`. `slots` engines
 * may run at once (concurrent scans); together they stay within half the machine's memory, so a
 * runaway query hits DuckDB's limit long before the kernel's OOM killer picks the exporter.
 * `reserveCore` leaves one core to the event loop (the gate) under `serve`.
 */
export function duckdbDefaults(slots: number, reserveCore: boolean, memoryBytes = machineMemoryBytes(), cores = availableParallelism()): DuckDbResources {
  const n = Math.max(1, slots);
  return {
    threads: Math.max(1, Math.floor((cores - (reserveCore ? 1 : 0)) / n)),
    memoryLimitBytes: Math.max(64 * MIB, Math.floor((memoryBytes * SCAN_MEMORY_SHARE) / n)),
  };
}

/**
 * A scan's hard memory ceiling (its worker's RSS), given its DuckDB `memory_limit`. DuckDB's
 * limit governs its buffer manager, not every allocation (list functions build vectors outside
 * it), so the worker is stopped when it overshoots the limit by half plus room for Node itself.
 */
export function scanMemoryCapBytes(memoryLimitBytes: number): number {
  return Math.floor(memoryLimitBytes * 1.5) + 512 * MIB;
}

/**
 * How long past `scan.query_timeout` a query may run before it is abandoned: enough for the
 * engine's own cancellation to report (PostgreSQL's statement_timeout, DuckDB's interrupt),
 * short enough that a critical dataset fails closed promptly. 10% of the timeout, 2 s to 30 s.
 */
export function deadlineGraceMs(queryTimeoutMs: number): number {
  return Math.min(30_000, Math.max(2_000, Math.round(queryTimeoutMs * 0.1)));
}
