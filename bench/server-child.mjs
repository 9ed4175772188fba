// The server under test, in its own process so the load generator never shares its event loop:
//
//   node bench/server-child.mjs exporter <datatrust.yml> <token> <log file>
//       the real exporter (runExporter from the built dist), as `datatrust serve` runs it;
//   node bench/server-child.mjs bare <body file> <status> <content-type> [headers.json]
//       the baseline: a bare node:http server answering the same bytes (optionally with the
//       gate's other response headers too, a diagnostic rung);
//   node bench/server-child.mjs express <body file> <status> plain|middleware
//       diagnostic rungs in between (see startExpress);
//   node bench/server-child.mjs sink
//       the lineage ingestion floor: a bare node:http server that reads and parses each JSON
//       body and answers as the exporter does (201 empty, or a batch summary), storing nothing.
//
// With BENCH_EXPORTER_HANDLERS=<module>, the exporter mode adds that module's
// `handlers(exporter)` to the IPC commands (lineage-handlers.mjs does).
//
// Prints `READY {"url": …}` when listening, then answers IPC requests from the benchmark:
// event-loop delay windows, scans started in-process, and (for /metrics) render timings.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { dist, requireFromRoot, summarize } from './lib.mjs';

const [mode, ...args] = process.argv.slice(2);
/** Event-loop delay of this process: shows whether the server's main thread was ever blocked. */
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();

const handlers = {
  'eld-reset': () => {
    eld.reset();
    return {};
  },
  eld: () => ({ p50Ms: eld.percentile(50) / 1e6, p99Ms: eld.percentile(99) / 1e6, maxMs: eld.max / 1e6, meanMs: eld.mean / 1e6 }),
  usage: () => ({ maxRssBytes: process.resourceUsage().maxRSS * 1024, rssBytes: process.memoryUsage().rss, cpuUs: process.cpuUsage() }),
};

async function startBare() {
  const [bodyFile, status, contentType, headersFile] = args;
  const body = readFileSync(bodyFile);
  // Optionally every other header the gate sends (its security headers), for the diagnostic rung.
  const extra = headersFile ? JSON.parse(readFileSync(headersFile, 'utf8')) : {};
  const headers = { ...extra, 'Content-Type': contentType, 'Content-Length': String(body.length) };
  const server = createServer((req, res) => {
    res.writeHead(Number(status), headers);
    res.end(body);
  });
  // Same keep-alive timeout as the exporter's server, so connections behave alike.
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

/**
 * Diagnostic rungs between the bare server and the exporter, to see where gate throughput goes:
 * `plain`: express with one route answering res.json(the same object); `middleware`: plus the
 * exporter's app-wide middleware (helmet with its CSP, express.json). Same express and helmet
 * packages as the exporter. Not baselines: evidence for the report.
 */
async function startExpress() {
  const [bodyFile, status, rung] = args;
  const express = requireFromRoot('express');
  const helmet = requireFromRoot('helmet');
  const view = JSON.parse(readFileSync(bodyFile, 'utf8'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (rung === 'middleware') {
    app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"] } } }));
    app.use(express.json({ limit: '16kb' }));
  }
  app.get('/api/v1/breakers/:dataset', (_req, res) => {
    res.status(Number(status)).json(view);
  });
  const server = createServer({ requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 65_000 }, app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

async function startExporter() {
  const [configFile, token, logFile] = args;
  const { loadProject } = dist('config/loadProject.js');
  const { runExporter } = dist('server/runExporter.js');
  const project = loadProject(configFile);
  if (project.blocking.length) throw new Error(`config: ${JSON.stringify(project.blocking)}`);
  const log = (m) => appendFileSync(logFile, `${new Date().toISOString()} ${m}\n`);
  const exporter = await runExporter({ project, port: 0, host: '127.0.0.1', token, log });
  /** Scans datasets in-process through the service's own queue (`requestScan`), as the API does. */
  handlers['scan-all'] = async ({ datasets }) => {
    const names = datasets ?? exporter.service.snapshot.datasets;
    const started = performance.now();
    let done = 0;
    const outcomes = {};
    await Promise.all(
      names.map(async (d) => {
        const outcome = await exporter.service.requestScan(d, { trigger: 'api' }).result;
        for (const c of outcome.run.checks) outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
        if (++done % 100 === 0) process.stdout.write(`PROGRESS   ${done}/${names.length} datasets scanned\n`);
      }),
    );
    const ms = performance.now() - started;
    // Each scan refreshes its pass ratios in the background: let the last ones land, so every
    // render measured afterwards sees the same, complete state.
    const settle = performance.now() + 10_000;
    while (exporter.service.snapshot.passRatios.size < names.length && performance.now() < settle) await new Promise((r) => setTimeout(r, 20));
    return { datasets: names.length, ms, outcomes };
  };

  /** Renders /metrics `count` times in-process (the exporter's own ExporterMetrics) and times each render. */
  handlers.render = async ({ count, accept }) => {
    const { metrics } = exporter;
    const times = [];
    let body = '';
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      body = (await metrics.render(accept)).body;
      times.push(performance.now() - t);
      if ((i + 1) % 50 === 0) process.stdout.write(`PROGRESS   ${i + 1}/${count} renders\n`);
    }
    const lines = body.split('\n').filter((l) => l && !l.startsWith('#'));
    const families = {};
    for (const l of lines) {
      const family = /^[^{ ]+/.exec(l)[0].replace(/_(bucket|sum|count|total|created)$/, '');
      families[family] = (families[family] ?? 0) + 1;
    }
    return { series: lines.length, families, bytes: Buffer.byteLength(body), summary: summarize(times) };
  };

  /**
   * Evidence for the report: what resolving upstream blocks costs. The metrics call
   * service.blockedBy once per dataset per scrape (and the gate once per request); each call
   * reads service.graph. Median of several passes over every dataset.
   */
  handlers.diagnostics = async () => {
    const { service } = exporter;
    const datasets = service.snapshot.datasets;
    const passes = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      for (const d of datasets) service.blockedBy(d);
      passes.push(performance.now() - t);
    }
    const graphs = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      void service.graph;
      graphs.push(performance.now() - t);
    }
    return { datasets: datasets.length, blockedByAllDatasetsMs: summarize(passes).median, graphGetterMs: summarize(graphs).median };
  };

  /**
   * The render baseline: every series of the exporter's current output, copied into a plain
   * prom-client registry as gauges with fixed values (same names, labels and label values,
   * histogram buckets as their own series). Rendering it costs what prom-client needs to
   * serialise that many series; what the exporter's render costs on top is its collect work.
   */
  handlers['render-static'] = async ({ count }) => {
    const { Registry, Gauge } = requireFromRoot('prom-client');
    const body = (await exporter.metrics.render()).body;
    const registry = new Registry();
    const gauges = new Map();
    for (const line of body.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`cannot parse exposition line ${line}`);
      const labels = {};
      for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
      let g = gauges.get(m[1]);
      if (!g) {
        g = new Gauge({ name: m[1], help: `copy of ${m[1]}`, labelNames: Object.keys(labels), registers: [registry] });
        gauges.set(m[1], g);
      }
      g.set(labels, Number(m[3].replace('Inf', 'Infinity')));
    }
    const times = [];
    let out = '';
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      out = await registry.metrics();
      times.push(performance.now() - t);
      if ((i + 1) % 50 === 0) process.stdout.write(`PROGRESS   ${i + 1}/${count} renders\n`);
    }
    // The copy must hold exactly the exporter's series, or it is no baseline.
    const seriesOf = (text) => new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' '))));
    const mine = seriesOf(body);
    const copy = seriesOf(out);
    const extra = [...copy].filter((k) => !mine.has(k));
    const missing = [...mine].filter((k) => !copy.has(k));
    return { series: copy.size, summary: summarize(times), extra: extra.slice(0, 10), missing: missing.slice(0, 10) };
  };

  if (process.env.BENCH_EXPORTER_HANDLERS) Object.assign(handlers, (await import(process.env.BENCH_EXPORTER_HANDLERS)).handlers(exporter));
  return { url: exporter.url, stop: () => exporter.stop() };
}

async function startSink() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!Array.isArray(value)) return void res.writeHead(201).end();
      const body = JSON.stringify({ status: 'success', summary: { received: value.length, successful: value.length, failed: 0, duplicate: 0, retriable: 0, non_retriable: 0 }, failed_events: [] });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

const start = { bare: startBare, express: startExpress, exporter: startExporter, sink: startSink }[mode];
if (!start) throw new Error(`unknown mode ${mode}`);
const server = await start();

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'stop') {
      await server.stop();
      process.send({ id: msg.id, ok: true }, () => process.exit(0));
      return;
    }
    const handler = handlers[msg.cmd];
    if (!handler) throw new Error(`unknown command ${msg.cmd}`);
    process.send({ id: msg.id, ok: true, result: await handler(msg) });
  } catch (e) {
    process.send({ id: msg.id, ok: false, error: e.stack ?? String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`READY ${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
