import type { OutlierMethod } from '../checks/model';
import type { Dialect } from '../sources/dialect';
import { and } from './conditions';

/** Robust standard deviations per MAD, for normally distributed values. */
const MAD_TO_SD = 1.4826;
/** Names no user column is likely to have: the statistics are cross-joined with the rows. */
const STATS = 'dt_outlier_stats';
const CENTER = 'dt_outlier_center';
const SPREAD = 'dt_outlier_spread';

export interface OutlierInput {
  d: Dialect;
  from: string;
  /** Rows considered: the dataset's and the check's filters. */
  where?: string;
  /** The column's numeric values (NULL where missing or invalid: those stay out of the statistics and the count). */
  value: string;
  method: OutlierMethod;
  k: number;
}

export interface OutlierSql {
  /** One row, one cell: how many rows lie more than k spreads from the center. */
  countSql: string;
  /** Those rows' `columns`, at most `limit`. */
  samplesSql: (columns: string, limit: number) => string;
}

/**
 * The statistics as a CTE, then the rows outside center ± k × spread. `median_mad`: the median
 * and 1.4826 × the median absolute deviation, which a few wild values cannot drag (their own
 * outliers do not hide them); `mean_stddev`: mean and population standard deviation (PRD 2.1).
 * A spread of 0 (most values equal) flags nothing: any other value would be infinitely far.
 */
export function outlierSql(i: OutlierInput): OutlierSql {
  const { d, from, value } = i;
  const where = and(i.where, `${value} IS NOT NULL`)!;
  let stats: string;
  if (i.method === 'mean_stddev') {
    stats = `${STATS} AS (SELECT AVG(${value}) AS ${CENTER}, STDDEV_POP(${value}) AS ${SPREAD} FROM ${from} WHERE ${where})`;
  } else {
    const center = `dt_outlier_median`;
    stats =
      `${center} AS (SELECT ${d.percentile(value, 0.5)} AS ${CENTER} FROM ${from} WHERE ${where}), ` +
      `${STATS} AS (SELECT ${center}.${CENTER}, ${MAD_TO_SD} * ${d.percentile(`ABS(${value} - ${center}.${CENTER})`, 0.5)} AS ${SPREAD} FROM ${from} CROSS JOIN ${center} WHERE ${where} GROUP BY ${center}.${CENTER})`;
  }
  const outside = `${STATS}.${SPREAD} > 0 AND ABS(${value} - ${STATS}.${CENTER}) > ${d.number(i.k)} * ${STATS}.${SPREAD}`;
  const body = `FROM ${from} CROSS JOIN ${STATS} WHERE ${where} AND ${outside}`;
  return {
    countSql: `WITH ${stats} SELECT COUNT(*) ${body}`,
    samplesSql: (columns, limit) => `WITH ${stats} SELECT ${columns} ${body} LIMIT ${limit}`,
  };
}
