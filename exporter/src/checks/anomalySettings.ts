import { isMap, type Node } from 'yaml';
import type { Seasonality } from '../anomaly/detector';
import { MAX_TRAINING_POINTS, MIN_TRAINING_POINTS } from '../anomaly/seasonalDetector';
import { unknownMessage } from '../diagnostics/didYouMean';
import type { AnomalyDirection, AnomalySettings } from './model';
import { keyNode, keyText, type NodeContext, pairs, readBoolean, readNumber, readString, valueNode } from './yamlNodes';

export const DEFAULT_ANOMALY_SETTINGS: AnomalySettings = {
  sensitivity: 3,
  minHistory: 5,
  seasonality: 'auto',
  windowLength: MAX_TRAINING_POINTS,
  excludeAnomalies: true,
  direction: 'both',
  warnOnly: false,
};

/** The check keys only an anomaly check reads; on any other check they are an error. */
export const ANOMALY_KEYS = ['sensitivity', 'min_history', 'seasonality', 'warn_only', 'alert_directionality', 'training_dataset_parameters'] as const;

export function isAnomalyKey(key: string): boolean {
  return (ANOMALY_KEYS as readonly string[]).includes(key);
}

const SEASONALITIES: Seasonality[] = ['auto', 'none', 'hour_of_day', 'day_of_week'];
const DIRECTIONS: Record<string, AnomalyDirection> = { upper_and_lower_bounds: 'both', upper_bound_only: 'upper', lower_bound_only: 'lower' };
const TRAINING_KEYS = ['window_length', 'auto_exclude_anomalies', 'frequency', 'aggregation_function'];
/** Scans are not resampled: each scan is one point, so only the values that mean exactly that are accepted. */
const FIXED_TRAINING: Record<string, { value: string; why: string }> = {
  frequency: { value: 'auto', why: 'each scan is one point and the seasonality is detected from their times (`seasonality:` sets it)' },
  aggregation_function: { value: 'last', why: 'each scan is one point, never aggregated' },
};

function oneOf<T extends string>(ctx: NodeContext, node: Node | undefined, key: string, accepted: readonly T[]): T | undefined {
  const v = readString(ctx, node, `\`${key}\``);
  if (v === undefined) return undefined;
  if ((accepted as readonly string[]).includes(v)) return v as T;
  ctx.report.error(ctx.yaml.positionOf(node), `\`${key}\` must be one of ${accepted.map((a) => `\`${a}\``).join(', ')}, found \`${v}\``);
  return undefined;
}

function readTraining(ctx: NodeContext, node: Node | undefined, out: AnomalySettings): void {
  if (!isMap(node)) {
    ctx.report.error(ctx.yaml.positionOf(node), '`training_dataset_parameters` must be a map, e.g. `{window_length: 1000}`');
    return;
  }
  for (const pair of pairs(node)) {
    const key = keyText(pair);
    const value = valueNode(pair);
    const where = `\`training_dataset_parameters.${key}\``;
    if (key === 'window_length') {
      const n = readNumber(ctx, value, where, { integer: true, min: MIN_TRAINING_POINTS });
      if (n !== undefined && n > MAX_TRAINING_POINTS) ctx.report.error(ctx.yaml.positionOf(value), `${where} must be at most ${MAX_TRAINING_POINTS}, found ${n}: the detector trains on at most the ${MAX_TRAINING_POINTS} latest points (its tuned cap), so more would be ignored`);
      else if (n !== undefined) out.windowLength = n;
    } else if (key === 'auto_exclude_anomalies') {
      const b = readBoolean(ctx, value, where);
      if (b !== undefined) out.excludeAnomalies = b;
    } else if (FIXED_TRAINING[key]) {
      const fixed = FIXED_TRAINING[key]!;
      const v = readString(ctx, value, where);
      if (v !== undefined && v !== fixed.value) ctx.report.error(ctx.yaml.positionOf(value), `${where}: only \`${fixed.value}\` is supported: ${fixed.why}`);
    } else {
      ctx.report.error(ctx.yaml.positionOf(keyNode(pair)), unknownMessage('`training_dataset_parameters` key', key, TRAINING_KEYS));
    }
  }
}

/**
 * Reads the anomaly keys written under a check into its settings; errors carry their positions.
 * `min_history` counts training points, so it cannot exceed `window_length` (the check would
 * never be evaluated); unset, it defaults to 5 or `window_length` when that is smaller.
 */
export function readAnomalySettings(ctx: NodeContext, keys: readonly { key: string; value: Node | undefined }[]): AnomalySettings {
  const out: AnomalySettings = { ...DEFAULT_ANOMALY_SETTINGS };
  let minHistoryNode: Node | undefined;
  for (const { key, value } of keys) {
    const where = `\`${key}\``;
    switch (key) {
      case 'sensitivity': {
        const n = readNumber(ctx, value, where);
        if (n !== undefined && n <= 0) ctx.report.error(ctx.yaml.positionOf(value), '`sensitivity` must be above 0 (band half-width in robust standard deviations; 3 is the default)');
        else if (n !== undefined) out.sensitivity = n;
        break;
      }
      case 'min_history': {
        const n = readNumber(ctx, value, where, { integer: true, min: MIN_TRAINING_POINTS });
        if (n !== undefined) {
          out.minHistory = n;
          minHistoryNode = value;
        }
        break;
      }
      case 'seasonality': {
        const s = oneOf(ctx, value, key, SEASONALITIES);
        if (s) out.seasonality = s;
        break;
      }
      case 'warn_only': {
        const b = readBoolean(ctx, value, where);
        if (b !== undefined) out.warnOnly = b;
        break;
      }
      case 'alert_directionality': {
        const d = oneOf(ctx, value, key, Object.keys(DIRECTIONS));
        if (d) out.direction = DIRECTIONS[d]!;
        break;
      }
      case 'training_dataset_parameters':
        readTraining(ctx, value, out);
        break;
    }
  }
  if (!minHistoryNode) out.minHistory = Math.min(out.minHistory, out.windowLength);
  else if (out.minHistory > out.windowLength) {
    const limit = out.windowLength === MAX_TRAINING_POINTS ? `${MAX_TRAINING_POINTS} (the most points the detector trains on)` : `\`training_dataset_parameters.window_length\` (${out.windowLength})`;
    ctx.report.error(ctx.yaml.positionOf(minHistoryNode), `\`min_history\` must be at most ${limit}, found ${out.minHistory}: the check could never be evaluated`);
  }
  return out;
}
