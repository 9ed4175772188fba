// In-process evidence for the lineage benchmark, loaded into the exporter's process by
// server-child.mjs (BENCH_EXPORTER_HANDLERS): the graph's size, memory after a full GC, and
// where a lineage query or a gate-index rebuild spends its time, timed with the exporter's own
// code (the built dist) on the exporter's own graph.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dist, summarize } from './lib.mjs';

const { computeBlocks } = dist('breaker/blockIndex.js');
const { datasetView, jobView, lineageView, runView } = dist('lineage/marquezViews.js');
const { readEvent } = dist('openlineage/readEvents.js');
const { splitKey } = dist('lineage/model.js');

export function handlers(exporter) {
  const { service } = exporter;
  const model = () => service.lineage.model;
  const placeholder = (key) => {
    const { namespace, name } = splitKey(key);
    return { key, namespace, name, createdAt: 0, updatedAt: 0, fields: [], facets: { facets: {}, keys: {} }, inputFacets: { facets: {}, keys: {} } };
  };
  // The same views the Marquez routes build (marquezRoutes.ts), so the split below adds up.
  const views = {
    dataset: (k) => datasetView(model().datasets.get(k) ?? placeholder(k), false),
    job: (k) => {
      const record = model().jobs.get(k);
      const run = record?.latestRunId ? model().run(record.latestRunId) : undefined;
      return jobView(record, run ? runView(run, (d) => model().datasets.get(d)?.currentVersion) : undefined);
    },
  };
  const timing = { commits: [], statements: new Map() };
  return {
    /**
     * CPU time of this process so far, split by thread (Linux /proc): the main thread runs the
     * JavaScript, the others are DuckDB's and libuv's. CPU time is what a loaded machine cannot
     * inflate the way it inflates wall-clock time.
     */
    cpu: () => {
      const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
      let main = 0;
      let others = 0;
      const byName = {};
      for (const tid of readdirSync('/proc/self/task')) {
        let stat;
        let name;
        try {
          stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
        } catch {
          continue; // the thread ended meanwhile
        }
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ms = (Number(f[11]) + Number(f[12])) * tick;
        byName[name] = (byName[name] ?? 0) + ms;
        if (Number(tid) === process.pid) main += ms;
        else others += ms;
      }
      return { mainMs: main, otherThreadsMs: others, byName };
    },

    /**
     * Times the lineage store's work per group commit, inside the request: applying events to
     * the draft (LineageStore.commit minus the repository), the repository's transaction, and
     * each SQL statement by kind, by wrapping the live objects' methods.
     */
    'instrument-commits': () => {
      const store = service.lineage;
      const repo = store.repo;
      const db = repo.db;
      if (repo.__timed) return { already: true };
      repo.__timed = true;
      const storeCommit = store.commit.bind(store);
      const repoCommit = repo.commit.bind(repo);
      let repoMs = 0;
      store.commit = async (items) => {
        const t = performance.now();
        repoMs = 0;
        const out = await storeCommit(items);
        timing.commits.push({ events: items.length, totalMs: performance.now() - t, repoMs });
        return out;
      };
      repo.commit = async (...a) => {
        const t = performance.now();
        await repoCommit(...a);
        repoMs = performance.now() - t;
      };
      const record = (kind, ms, params) => {
        const st = timing.statements.get(kind) ?? { n: 0, ms: 0, params: 0, maxMs: 0 };
        st.n++;
        st.ms += ms;
        st.params += params;
        st.maxMs = Math.max(st.maxMs, ms);
        timing.statements.set(kind, st);
      };
      for (const m of ['exec', 'rows']) {
        const orig = db[m];
        db[m] = async (sql, params) => {
          const t = performance.now();
          const out = await orig(sql, params);
          const kind = sql.replace(/\s+/g, ' ').replace(/\(.*$/, '').replace(/ WHERE .*$/, '').replace(/ VALUES.*$/, '').trim().slice(0, 60);
          record(kind, performance.now() - t, params?.length ?? 0);
          return out;
        };
      }
      // BEGIN and COMMIT go through the state store's own exec: a COMMIT is where DuckDB checkpoints.
      const stateStore = service.deps.store;
      if (typeof stateStore.exec === 'function') {
        const exec = stateStore.exec.bind(stateStore);
        stateStore.exec = async (sql, params) => {
          const t = performance.now();
          const out = await exec(sql, params);
          if (sql === 'COMMIT' || sql === 'BEGIN TRANSACTION') record(sql, performance.now() - t, 0);
          return out;
        };
      }
      return { installed: true };
    },
    'commit-report': () => {
      const c = timing.commits;
      const sum = (k) => c.reduce((a, x) => a + x[k], 0);
      const out = {
        commits: c.length,
        events: sum('events'),
        eventsPerCommit: summarize(c.map((x) => x.events)),
        commitMs: summarize(c.map((x) => x.totalMs)),
        shareInRepository: sum('repoMs') / sum('totalMs'),
        statements: Object.fromEntries([...timing.statements].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, { n: v.n, totalMs: v.ms, meanMs: v.ms / v.n, maxMs: v.maxMs, meanParams: v.params / v.n }])),
      };
      timing.commits = [];
      timing.statements.clear();
      return out;
    },

    'lineage-size': () => ({ graphDatasets: service.graph.datasetCount, graphJobs: service.graph.jobCount, storedDatasets: model().datasets.size, storedJobs: model().jobs.size }),

    /**
     * Memory after a full GC (the process runs with --expose-gc), the peak so far, and what
     * DuckDB's buffer manager holds for the state file (duckdb_memory()), read between requests.
     */
    memory: async () => {
      // Twice, a tick apart: native objects (DuckDB result chunks) are freed by finalizers after a GC.
      globalThis.gc?.();
      await new Promise((r) => setTimeout(r, 50));
      globalThis.gc?.();
      const m = process.memoryUsage();
      const store = service.deps.store;
      let duckdbBytes;
      try {
        const rows = await store.read(() => store.rows('SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()'));
        duckdbBytes = Number(rows[0]?.b ?? 0);
      } catch {
        duckdbBytes = undefined; // not the DuckDB state store
      }
      return { gc: typeof globalThis.gc === 'function', rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external, duckdbBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    },

    /** A lineage query split into its parts: the walk, building the node views, JSON.stringify. */
    'query-split': ({ nodes, depth, direction }) => {
      for (const n of nodes) if (!service.graph.hasDataset(n.key)) throw new Error(`query-split: no dataset ${JSON.stringify(n.key)} in the graph`);
      const walk = [];
      const build = [];
      const json = [];
      const sizes = [];
      for (const start of nodes) {
        const t0 = performance.now();
        const n = service.graph.neighbourhood(start, depth, direction);
        const t1 = performance.now();
        const view = lineageView(service.graph, start, depth, direction, views);
        const t2 = performance.now();
        const text = JSON.stringify(view);
        const t3 = performance.now();
        walk.push(t1 - t0);
        build.push(t2 - t1 - (t1 - t0));
        json.push(t3 - t2);
        sizes.push(n.datasets.size + n.jobs.size);
        void text;
      }
      return { walkMs: summarize(walk), viewsMs: summarize(build), stringifyMs: summarize(json), nodes: summarize(sizes) };
    },

    /** What the gates pay when the block index is rebuilt (after a breaker, override or graph change). */
    'blocks-timing': ({ keys, count }) => {
      for (const k of keys) if (!service.graph.hasDataset(k)) throw new Error(`blocks-timing: no dataset ${JSON.stringify(k)} in the graph`);
      const times = [];
      let index;
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        index = computeBlocks(service.graph, keys);
        times.push(performance.now() - t);
      }
      return { ms: summarize(times), blockedDatasets: index.datasets.size, blockedJobs: index.jobs.size };
    },

    /** One gate answer in-process (the block index already built): service.view and service.jobView, in µs. */
    'gate-timing': ({ datasets, jobs }) => {
      service.gates.index();
      const time = (fn) => {
        const t = [];
        for (let round = 0; round < 5; round++)
          for (const a of fn.args) {
            const s = performance.now();
            fn.call(a);
            t.push((performance.now() - s) * 1000);
          }
        return summarize(t);
      };
      const open = (v) => v?.state === 'open';
      if (!datasets.every((d) => open(service.view(d))) || !jobs.every(([ns, j]) => open(service.jobView(ns, j)))) throw new Error('gate-timing: every sampled gate must be open');
      return {
        datasetViewUs: time({ args: datasets, call: (d) => service.view(d) }),
        jobViewUs: time({ args: jobs, call: ([ns, j]) => service.jobView(ns, j) }),
        jobViewBytes: summarize(jobs.map(([ns, j]) => JSON.stringify(service.jobView(ns, j)).length)),
        datasetViewBytes: summarize(datasets.map((d) => JSON.stringify(service.view(d)).length)),
      };
    },

    /**
     * What-if for the report: the same walk as computeBlocks (downstream from each open dataset,
     * first reach wins) keeping one parent pointer per node instead of copying the whole path
     * into every node; paths would be rebuilt on demand for the few gates asked.
     */
    'blocks-parent-timing': ({ keys, count }) => {
      const graph = service.graph;
      const times = [];
      let sizes;
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        const parent = new Map();
        const jobs = new Map();
        for (const root of keys) {
          parent.set(root, null);
          const queue = [root];
          for (let q = 0; q < queue.length; q++) {
            const from = queue[q];
            for (const job of graph.readersOf(from)) {
              if (jobs.has(job)) continue;
              jobs.set(job, from);
              for (const next of graph.edgesOf(job).outputs) {
                if (parent.has(next)) continue;
                parent.set(next, job);
                queue.push(next);
              }
            }
          }
        }
        times.push(performance.now() - t);
        sizes = { datasets: parent.size - keys.length, jobs: jobs.size };
      }
      return { ms: summarize(times), ...sizes };
    },

    /** readEvent (ajv against the official schemas, then our limits) per event, in µs. */
    'validate-timing': ({ bodies }) => {
      const parsed = bodies.map((b) => JSON.parse(b));
      const times = [];
      for (let round = 0; round < 3; round++)
        for (const v of parsed) {
          const t = performance.now();
          const r = readEvent(v);
          times.push((performance.now() - t) * 1000);
          if (!r.ok) throw new Error(`sample event rejected: ${JSON.stringify(r.violations).slice(0, 300)}`);
        }
      return { us: summarize(times) };
    },
  };
}
