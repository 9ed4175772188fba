// An open-loop load generator: sends GETs at a fixed rate, whatever the server's speed, and
// times each response from when it was DUE, not when it was sent, so a stalled server shows
// up in the latencies (wrk and autocannon, being closed-loop, wait politely and hide stalls).
// Runs in its own process:  node bench/rate-client.mjs <url>|@<file of urls> <req/s> <seconds> [connections]
// and prints one `RATE_JSON {…}` line. With a file, requests go to its URLs in turn.
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { percentile } from './lib.mjs';

const [target, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
const urls = target.startsWith('@') ? readFileSync(target.slice(1), 'utf8').split('\n').filter(Boolean) : [target];
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connectionsArg ?? 32) });
const latencies = [];
let sent = 0;
let errors = 0;
let non2xx = 0;
let inFlight = 0;

function fire(dueAt) {
  inFlight++;
  const req = get(urls[sent % urls.length], { agent }, (res) => {
    if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
    res.resume();
    res.on('end', () => {
      latencies.push(performance.now() - dueAt);
      inFlight--;
    });
  });
  req.on('error', () => {
    errors++;
    inFlight--;
  });
  sent++;
}

const start = performance.now();
const total = Math.round(rate * seconds);
let next = 0;
await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    // Everything due by now goes out now; latency still counts from each request's due time.
    while (next < total && start + (next * 1000) / rate <= now) fire(start + (next++ * 1000) / rate);
    if (next >= total) return resolve();
    setTimeout(tick, Math.max(0, start + (next * 1000) / rate - performance.now()));
  };
  tick();
});
const deadline = performance.now() + 10_000;
while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
process.stdout.write(
  `RATE_JSON ${JSON.stringify({
    rate,
    seconds,
    sent,
    completed: latencies.length,
    achievedRps: latencies.length / elapsed,
    errors,
    non2xx,
    unfinished: inFlight,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), p999: percentile(latencies, 99.9), max: Math.max(...latencies) },
  })}\n`,
);
