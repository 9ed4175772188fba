// NAB benchmark (issue 14): our anomaly detectors over the Numenta Anomaly Benchmark's 58
// labelled series, in streaming order (each point judged on the points before it only),
// scored with our NAB scorer (exporter/src/anomaly/nab, checked against NAB's published
// scores by its tests), next to the current MAD detector and the published windowed-Gaussian
// outputs, all in this one run. Also: cost per point, and alerts per 1,000 points on the
// daily-seasonal series (alert fatigue).
import { performance } from 'node:perf_hooks';
import { dist, environment, goal, log, median, ROOT, RUNS, writeResult } from './lib.mjs';

const { findNabDir, readDetectorResults, readNabCorpus } = dist('anomaly/nab/nabFiles.js');
const { scoreCorpus } = dist('anomaly/nab/scoreCorpus.js');
const { streamDetector } = dist('anomaly/nab/streamDetector.js');
const { seasonalDetector } = dist('anomaly/seasonalDetector.js');
const { madDetector } = dist('anomaly/madDetector.js');

/** One configuration for every series (no per-file parameters): the check's defaults. */
const OPTIONS = { sensitivity: 3, minHistory: 10, seasonality: 'auto' };
/** Earlier points each verdict sees (the seasonal detector trains on its last 400 unflagged ones). */
const HISTORY_LIMIT = 500;
/** An ongoing incident alerts once: a score counts only when it beats the last 7 days'. */
const REPEAT_WINDOW_MS = 7 * 24 * 3_600_000;
/**
 * Daily-seasonal series, named: the synthetic daily cycles and NYC taxi demand. Their
 * labels aside, the question is how often a detector cries wolf on an ordinary day.
 */
const DAILY_SEASONAL = [
  'artificialNoAnomaly/art_daily_no_noise.csv',
  'artificialNoAnomaly/art_daily_perfect_square_wave.csv',
  'artificialNoAnomaly/art_daily_small_noise.csv',
  'artificialWithAnomaly/art_daily_flatmiddle.csv',
  'artificialWithAnomaly/art_daily_jumpsdown.csv',
  'artificialWithAnomaly/art_daily_jumpsup.csv',
  'artificialWithAnomaly/art_daily_nojump.csv',
  'realKnownCause/nyc_taxi.csv',
];
/** Series timed for the cost per point: one of each family, first 3,000 points. */
const COST_SERIES = ['artificialNoAnomaly/art_daily_small_noise.csv', 'realKnownCause/nyc_taxi.csv', 'realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv', 'realTweets/Twitter_volume_AAPL.csv'];
const COST_POINTS = 3000;
const GOAL = 52;

const DETECTORS = { seasonal: seasonalDetector, mad: madDetector };

function run(detector, s) {
  return streamDetector(s.timestamps, s.values, { detector, options: OPTIONS, historyLimit: HISTORY_LIMIT, repeatWindowMs: REPEAT_WINDOW_MS });
}

function inWindow(s, at) {
  return s.windows.some(([a, b]) => at >= a && at <= b);
}

/** Flags and alerts (flags that are not repeats) outside the labelled windows, per 1,000 judged points. */
function alertFatigue(corpus, results) {
  let judged = 0;
  let flags = 0;
  let alerts = 0;
  const models = {};
  for (const s of corpus.filter((c) => DAILY_SEASONAL.includes(c.name))) {
    const r = results.get(s.name);
    judged += r.assessed;
    for (const [m, c] of Object.entries(r.models)) models[m] = (models[m] ?? 0) + c;
    for (let i = 0; i < s.values.length; i++) {
      if (!r.flags[i] || inWindow(s, s.timestamps[i])) continue;
      flags++;
      if (r.anomalyScores[i] > 0) alerts++;
    }
  }
  return { series: DAILY_SEASONAL.length, judgedPoints: judged, flagsPer1000: (1000 * flags) / judged, alertsPer1000: (1000 * alerts) / judged, verdictModels: models };
}

function summary(board) {
  return Object.fromEntries(Object.entries(board).map(([p, b]) => [p, { normalised: b.normalised, raw: b.raw, threshold: b.threshold }]));
}

function costRounds(corpus) {
  const series = COST_SERIES.map((name) => corpus.find((s) => s.name === name)).map((s) => ({ ...s, timestamps: s.timestamps.slice(0, COST_POINTS), values: s.values.slice(0, COST_POINTS) }));
  const points = series.length * COST_POINTS;
  const times = { seasonal: [], mad: [] };
  for (let round = 0; round <= RUNS; round++) {
    // Interleaved, rotating order; round 0 warms up.
    const order = round % 2 ? ['mad', 'seasonal'] : ['seasonal', 'mad'];
    for (const name of order) {
      const t0 = performance.now();
      for (const s of series) run(DETECTORS[name], s);
      const us = ((performance.now() - t0) * 1000) / points;
      if (round > 0) times[name].push(us);
    }
    if (round > 0) log('anomaly', `  cost round ${round}: seasonal ${times.seasonal.at(-1).toFixed(1)} µs/point, mad ${times.mad.at(-1).toFixed(1)} µs/point`);
  }
  return { points, rounds: RUNS, seasonalUsPerPoint: median(times.seasonal), madUsPerPoint: median(times.mad), seasonalVsMad: median(times.seasonal.map((t, i) => t / times.mad[i])), samples: times };
}

async function main() {
  const nabDir = findNabDir(ROOT);
  if (!nabDir) throw new Error('NAB data not found: set NAB_DIR, or put NAB in shared/data/nab beside the checkout');
  const corpus = readNabCorpus(nabDir);
  const totalPoints = corpus.reduce((n, s) => n + s.values.length, 0);
  log('anomaly', `NAB: ${corpus.length} series, ${totalPoints.toLocaleString('en')} points, ${corpus.reduce((n, s) => n + s.windows.length, 0)} windows (${nabDir})`);

  const boards = {};
  const passes = {};
  const fatigue = {};
  for (const [name, detector] of Object.entries(DETECTORS)) {
    const t0 = performance.now();
    const results = new Map(corpus.map((s) => [s.name, run(detector, s)]));
    const ms = performance.now() - t0;
    passes[name] = { ms, usPerPoint: (ms * 1000) / totalPoints, flagged: [...results.values()].reduce((n, r) => n + r.flagged, 0) };
    boards[name] = scoreCorpus(corpus, new Map([...results].map(([k, r]) => [k, r.anomalyScores])));
    fatigue[name] = alertFatigue(corpus, results);
    log('anomaly', `${name.padEnd(9)} standard ${boards[name].standard.normalised.toFixed(1)}, low FP ${boards[name].reward_low_FP_rate.normalised.toFixed(1)}, low FN ${boards[name].reward_low_FN_rate.normalised.toFixed(1)}; ${(ms / 1000).toFixed(1)} s for all points; daily-seasonal alerts ${fatigue[name].alertsPer1000.toFixed(2)}/1,000 (flags ${fatigue[name].flagsPer1000.toFixed(1)}/1,000)`);
  }
  boards.windowedGaussian = scoreCorpus(corpus, readDetectorResults(nabDir, 'windowedGaussian', corpus));
  log('anomaly', `windowedGaussian (published outputs, our scorer) standard ${boards.windowedGaussian.standard.normalised.toFixed(1)} (published 39.6)`);

  const cost = costRounds(corpus);
  log('anomaly', `cost per point: seasonal ${cost.seasonalUsPerPoint.toFixed(1)} µs, mad ${cost.madUsPerPoint.toFixed(1)} µs (×${cost.seasonalVsMad.toFixed(2)})`);

  const std = boards.seasonal.standard.normalised;
  return writeResult('anomaly', {
    benchmark: 'anomaly',
    description: 'NAB (58 series) in streaming order: seasonal detector vs the MAD detector vs published windowed-Gaussian outputs, all scored by our NAB scorer in one run',
    environment: environment(),
    data: { nab: 'numenta/NAB commit ea702d7', series: corpus.length, points: totalPoints, windows: corpus.reduce((n, s) => n + s.windows.length, 0) },
    settings: { options: OPTIONS, historyLimit: HISTORY_LIMIT, repeatWindowHours: REPEAT_WINDOW_MS / 3_600_000, scoreMapping: 'score / (1 + score), 0 without a verdict or when repeated', dailySeasonal: DAILY_SEASONAL, costSeries: COST_SERIES, costPoints: COST_POINTS },
    scores: Object.fromEntries(Object.entries(boards).map(([k, b]) => [k, summary(b)])),
    perFile: { seasonal: Object.fromEntries(Object.entries(boards.seasonal.standard.files).map(([f, s]) => [f, s.score])) },
    passes,
    alertFatigue: fatigue,
    cost,
    published: { numenta: 70.1, randomCutForest: 51.7, twitterADVec: 47.1, windowedGaussian: 39.6 },
    goals: {
      standard: { ...goal(std >= GOAL, `NAB standard score ≥ ${GOAL}`), value: std },
      moonshot: { ...goal(std >= 70, 'NAB standard score ≥ 70 (Numenta HTM)'), value: std },
    },
  });
}

await main();
