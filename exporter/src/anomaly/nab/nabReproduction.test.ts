/**
 * The scorer reproduces NAB's published scores from the published detectors' per-row outputs:
 * per file at NAB's thresholds, and the final normalised scores with our own threshold search.
 */
import { findNabDir, readDetectorResults, readFinalResults, readNabCorpus, readPublishedScores, readPublishedThresholds, type NabSeries } from './nabFiles';
import { PROFILE_NAMES } from './profiles';
import { scoreCorpus } from './scoreCorpus';

const nabDir = findNabDir(__dirname);

describe('NAB scorer against the published scoreboard', () => {
  let corpus: NabSeries[];
  beforeAll(() => {
    if (!nabDir) throw new Error('NAB data not found: set NAB_DIR or put it in shared/data/nab beside the checkout');
    corpus = readNabCorpus(nabDir);
  });

  it('reads 58 series with 116 anomaly windows', () => {
    expect(corpus).toHaveLength(58);
    expect(corpus.reduce((n, s) => n + s.windows.length, 0)).toBe(116);
  });

  for (const detector of ['windowedGaussian', 'numenta']) {
    it(`reproduces ${detector}: every file's score at the published thresholds, and the final scores within 0.1`, () => {
      const dir = nabDir!;
      const scores = readDetectorResults(dir, detector, corpus);
      const atPublished = scoreCorpus(corpus, scores, readPublishedThresholds(dir, detector));
      const optimised = scoreCorpus(corpus, scores);
      const final = readFinalResults(dir)[detector]!;
      for (const profile of PROFILE_NAMES) {
        const published = readPublishedScores(dir, detector, profile);
        expect(published.files.size).toBe(58);
        for (const [file, score] of published.files) expect(Math.abs(atPublished[profile].files[file]!.score - score)).toBeLessThan(1e-6);
        expect(Math.abs(atPublished[profile].raw - published.total)).toBeLessThan(1e-6);
        expect(Math.abs(atPublished[profile].normalised - final[profile])).toBeLessThan(1e-6);
        // Our exhaustive search finds NAB's optimum or one at most 0.1 better.
        expect(Math.abs(optimised[profile].normalised - final[profile])).toBeLessThan(0.1);
      }
    });
  }
});
