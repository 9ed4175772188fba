/** What an anomaly check expected of the metric it judged: the band the value had to fall in. */
export interface ExpectedRange {
  value: number;
  lower: number;
  upper: number;
  /** The season the expectation is for (`Monday`, `14:00`) when the model was seasonal. */
  season?: string;
  /** The detector model that produced it. */
  model: string;
}
