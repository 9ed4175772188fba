import { MIB } from './memorySize';
import { deadlineGraceMs, duckdbDefaults, scanMemoryCapBytes } from './resourceBudget';
import { ScanWatchdog } from './scanWatchdog';
import { formatMemorySize, parseMemorySize } from './memorySize';

const limits = { queryTimeoutMs: 3000, graceMs: 2000, memoryLimitBytes: 256 * MIB, memoryCapBytes: scanMemoryCapBytes(256 * MIB) };

describe('scan watchdog', () => {
  it('stops a call that runs past the query timeout plus grace, naming the source', () => {
    let now = 0;
    const w = new ScanWatchdog(limits, () => now);
    w.begin('pg', 'aggregate');
    now = 5000;
    expect(w.verdict()).toBeUndefined();
    now = 5001;
    expect(w.verdict()).toEqual({ kind: 'deadline', message: 'source `pg` did not answer within 5 s (scan.query_timeout 3 s plus 2 s grace): the scan was stopped' });
  });

  it('forgets calls that ended, and gives connecting the driver connect timeout', () => {
    let now = 0;
    const w = new ScanWatchdog(limits, () => now);
    const end = w.begin('pg', 'aggregate');
    w.begin('pg', 'connect');
    end();
    now = 11_000;
    expect(w.verdict()).toBeUndefined();
    now = 12_001;
    expect(w.verdict()?.message).toMatch(/^source `pg` did not answer within 12 s \(connecting\)/);
  });

  it('stops a scan whose memory passes its cap', () => {
    const w = new ScanWatchdog(limits);
    w.memory(limits.memoryCapBytes);
    expect(w.verdict()).toBeUndefined();
    w.memory(limits.memoryCapBytes + 1);
    expect(w.verdict()).toEqual({ kind: 'memory', message: 'the scan used 896MiB of memory, over its cap of 896MiB (DuckDB memory_limit 256MiB plus headroom): the scan was stopped' });
  });
});

describe('resource defaults', () => {
  it('splits half the machine memory and the cores (one kept for the event loop) between concurrent scans', () => {
    expect(duckdbDefaults(2, true, 16 * 1024 * MIB, 9)).toEqual({ threads: 4, memoryLimitBytes: 4 * 1024 * MIB });
    expect(duckdbDefaults(4, true, 1024 * MIB, 2)).toEqual({ threads: 1, memoryLimitBytes: 128 * MIB });
    expect(duckdbDefaults(1, false, 100 * MIB, 8)).toEqual({ threads: 8, memoryLimitBytes: 64 * MIB });
  });

  it('gives 10% of the query timeout as grace, between 2 s and 30 s', () => {
    expect(deadlineGraceMs(3000)).toBe(2000);
    expect(deadlineGraceMs(60_000)).toBe(6000);
    expect(deadlineGraceMs(3600_000)).toBe(30_000);
  });

  it('reads sizes the way DuckDB does and refuses the rest', () => {
    expect(parseMemorySize('512MB')).toBe(512e6);
    expect(parseMemorySize('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseMemorySize('2g')).toBe(2e9);
    for (const bad of ['50%', 'lots', '0MB', '-1GB', '12']) expect(parseMemorySize(bad)).toBeUndefined();
    expect(formatMemorySize(3 * MIB + 5)).toBe('3MiB');
  });
});
