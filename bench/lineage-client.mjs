// The lineage benchmark's producers, in their own process so they never share the server's or
// the benchmark's event loop:  node bench/lineage-client.mjs '<json options>'
// and prints one `CLIENT_JSON {…}` line (PROGRESS lines while it works).
//
// Modes (all POST OpenLineage RunEvents of the generated estate, lineage-graph.mjs):
//   build   every job of the estate once, as a COMPLETE RunEvent, in batches (`batch` events per
//           request to /api/v1/lineage/batch, `concurrency` requests in flight);
//   single  closed loop for `seconds`: `concurrency` clients, one event per request to
//           /api/v1/lineage, each run a START then a COMPLETE (what OpenLineage clients send);
//   batch   the same events, `batch` per request to /api/v1/lineage/batch;
//   stream  open loop: `rate` events/s to /api/v1/lineage for `seconds`, re-runs of existing jobs
//           (START, COMPLETE), and with `newJobEvery: n` every n-th event a COMPLETE of a new job
//           (a graph change); jobs in `avoidJobs` (which would trigger scans) are never run.
import { Agent, request } from 'node:http';
import { generateEstate, prng, runEvent, uuidFrom } from './lineage-graph.mjs';
import { percentile } from './lib.mjs';

const opts = JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, opts.concurrency ?? 8) + 8 });
const target = new URL(opts.url);
const estate = generateEstate({ jobs: opts.jobs, datasets: opts.datasets, seed: opts.seed });
const rand = prng(opts.clientSeed ?? 1);
const progress = (m) => process.stdout.write(`PROGRESS ${m}\n`);

/** POST `body` to `path`; resolves with the status, the response text and the latency in ms. */
function post(path, body) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      { host: target.hostname, port: target.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text, ms: performance.now() - started }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, text: e.message, ms: performance.now() - started }));
    req.end(body);
  });
}

/** Runs of estate jobs, START then COMPLETE each, starting at a client-specific job. */
function* runs(offset, stride) {
  for (let k = offset; ; k += stride) {
    const job = k % estate.jobs.length;
    if (opts.avoidJobs?.includes(job)) continue;
    const runId = uuidFrom(rand);
    const parentRunId = uuidFrom(rand);
    for (const eventType of ['START', 'COMPLETE']) yield runEvent(estate, job, { eventType, runId, parentRunId, eventTime: new Date().toISOString() });
  }
}

/** A job nobody reported before, appended to a pipeline: its COMPLETE adds a job and a dataset to the graph. */
let adhoc = 0;
function newJobEvent() {
  const base = estate.jobs[Math.floor(rand() * estate.jobs.length)];
  const out = estate.datasets[base.outputs[0]];
  const n = adhoc++;
  const e = runEvent(estate, estate.jobs.indexOf(base), { eventType: 'COMPLETE', runId: uuidFrom(rand), parentRunId: uuidFrom(rand), eventTime: new Date().toISOString() });
  e.job.name = `${base.parent}.adhoc_${opts.clientSeed ?? 1}_${n}`;
  e.inputs = [{ namespace: out.namespace, name: out.name }];
  e.outputs = [{ namespace: out.namespace, name: `${out.name}_adhoc_${opts.clientSeed ?? 1}_${n}` }];
  return e;
}

function summary(latencies) {
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.length ? Math.max(...latencies) : NaN };
}

async function closedLoop(mode) {
  const batch = mode === 'single' ? 1 : opts.batch;
  const path = mode === 'single' ? '/api/v1/lineage' : '/api/v1/lineage/batch';
  const deadline = performance.now() + opts.seconds * 1000;
  const latencies = [];
  const statuses = {};
  let events = 0;
  let accepted = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async (_, c) => {
      const source = runs(Math.floor(((opts.round ?? 0) * 7919 + c * 104729) % estate.jobs.length), opts.concurrency);
      while (performance.now() < deadline) {
        const list = Array.from({ length: batch }, () => source.next().value);
        const body = JSON.stringify(mode === 'single' ? list[0] : list);
        const r = await post(path, body);
        latencies.push(r.ms);
        bytes += body.length;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        events += batch;
        if (r.status === 201) accepted += 1;
        else if (r.status === 200) accepted += JSON.parse(r.text).summary.successful;
        else if (!statuses.firstError) statuses.firstError = `${r.status} ${r.text.slice(0, 300)}`;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { mode, batch, concurrency: opts.concurrency, seconds, requests: latencies.length, events, accepted, eventsPerSecond: accepted / seconds, meanEventBytes: bytes / events, statuses, latencyMs: summary(latencies) };
}

async function build() {
  const started = performance.now();
  const order = estate.jobs.map((_, i) => i);
  let next = 0;
  let done = 0;
  let accepted = 0;
  const latencies = [];
  const failures = [];
  const parentRuns = new Map();
  // Events/s per tenth of the estate: does ingestion slow down as the store grows?
  const tenth = Math.max(opts.batch, Math.ceil(order.length / 10));
  const tenths = [];
  let tenthStarted = started;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < order.length) {
        const slice = order.slice(next, (next += opts.batch));
        const events = slice.map((j) => {
          const p = estate.jobs[j].pipeline;
          if (!parentRuns.has(p)) parentRuns.set(p, uuidFrom(rand));
          return runEvent(estate, j, { eventType: 'COMPLETE', runId: uuidFrom(rand), parentRunId: parentRuns.get(p), eventTime: new Date().toISOString() });
        });
        const r = await post('/api/v1/lineage/batch', JSON.stringify(events));
        latencies.push(r.ms);
        if (r.status !== 200) failures.push(`${r.status} ${r.text.slice(0, 300)}`);
        else accepted += JSON.parse(r.text).summary.successful;
        done += slice.length;
        if (Math.floor(done / tenth) !== Math.floor((done - slice.length) / tenth)) {
          const now = performance.now();
          tenths.push((tenth * 1000) / (now - tenthStarted));
          tenthStarted = now;
        }
        if (Math.floor(done / 5000) !== Math.floor((done - slice.length) / 5000)) progress(`${done.toLocaleString('en')}/${order.length.toLocaleString('en')} jobs ingested (${Math.round(done / ((performance.now() - started) / 1000))} events/s)`);
      }
    }),
  );
  if (failures.length) throw new Error(`build: ${failures.length} batches failed, first: ${failures[0]}`);
  const seconds = (performance.now() - started) / 1000;
  return { mode: 'build', batch: opts.batch, concurrency: opts.concurrency, seconds, events: order.length, accepted, eventsPerSecond: accepted / seconds, eventsPerSecondByTenth: tenths, latencyMs: summary(latencies) };
}

async function stream() {
  const source = runs(opts.clientSeed ?? 0, 7);
  const total = Math.round(opts.rate * opts.seconds);
  const latencies = [];
  const statuses = {};
  let inFlight = 0;
  let sent = 0;
  progress('streaming');
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / opts.rate <= now) {
        const due = start + (sent * 1000) / opts.rate;
        const event = opts.newJobEvery && sent % opts.newJobEvery === opts.newJobEvery - 1 ? newJobEvent() : source.next().value;
        sent++;
        inFlight++;
        void post('/api/v1/lineage', JSON.stringify(event)).then((r) => {
          latencies.push(performance.now() - due);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status !== 201 && !statuses.firstError) statuses.firstError = `${r.status} ${r.text.slice(0, 300)}`;
          inFlight--;
        });
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + (sent * 1000) / opts.rate - performance.now()));
    };
    tick();
  });
  const deadline = performance.now() + 30_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - start) / 1000;
  return { mode: 'stream', rate: opts.rate, newJobEvery: opts.newJobEvery ?? 0, newJobs: adhoc, sent, completed: latencies.length, achievedRate: latencies.length / seconds, unfinished: inFlight, statuses, latencyMs: summary(latencies) };
}

const modes = { build, single: () => closedLoop('single'), batch: () => closedLoop('batch'), stream };
if (!modes[opts.mode]) throw new Error(`lineage-client: unknown mode ${opts.mode}`);
const result = await modes[opts.mode]();
agent.destroy();
process.stdout.write(`CLIENT_JSON ${JSON.stringify(result)}\n`);
