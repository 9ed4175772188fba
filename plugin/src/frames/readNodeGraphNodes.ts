import { DataFrame, Field, FieldType } from '@grafana/data';
import { DatasetSignals } from '../graph/model';
import { mergeAttribute, mergeBreaker, mergeFreshness, mergePassRatio } from '../status/mergeSignals';
import { describeFields, describeFrame } from './describeFrame';
import { fieldNamed } from './readEdges';
import { FrameContractError } from './FrameContractError';
import { roleOfMetricName } from './roles';
import { toNumber } from './samples';

const PASS_ARC = /pass|success|ok|green/i;
const FAIL_ARC = /fail|error|err|red/i;

/**
 * Reads Grafana Node Graph `nodes` frames: `id` names the dataset; `title`, `subtitle`, `mainstat`,
 * `secondarystat` and `detail__*` become attributes shown in the side card; `arc__*` fractions named
 * like pass/success (or fail/error) give a pass ratio; metric-named fields (`breaker_open`,
 * `detail__datatrust_check_pass_ratio`, …) are read as the exporter's metrics.
 */
export function readNodeGraphNodes(frame: DataFrame, index: number, signalsOf: (id: string) => DatasetSignals): string[] {
  const idField = fieldNamed(frame, 'id');
  if (!idField) {
    throw new FrameContractError(
      `${describeFrame(frame, index)} is used as Node Graph nodes, so it needs field \`id\`; found: ${describeFields(frame)}`
    );
  }
  const ids: string[] = [];
  for (let row = 0; row < frame.length; row++) {
    const raw = idField.values[row];
    if (raw === null || raw === undefined || String(raw).trim() === '') {
      continue;
    }
    const id = String(raw).trim();
    ids.push(id);
    const signals = signalsOf(id);
    let passArc: number | undefined;
    let failArc = 0;
    for (const field of frame.fields) {
      if (field === idField) {
        continue;
      }
      const name = field.name;
      const lower = name.toLowerCase();
      const value = field.values[row];
      if (lower.startsWith('arc__')) {
        const n = toNumber(value);
        if (n !== null && PASS_ARC.test(lower)) {
          passArc = (passArc ?? 0) + n;
        } else if (n !== null && FAIL_ARC.test(lower)) {
          failArc += n;
        }
        continue;
      }
      const role = roleOfMetricName(name);
      const n = toNumber(value);
      if (role === 'breaker' && n !== null) {
        mergeBreaker(signals, n >= 1, undefined);
      } else if (role === 'passRatio' && n !== null) {
        mergePassRatio(signals, '', n);
      } else if (role === 'freshness' && n !== null) {
        mergeFreshness(signals, n);
      } else if (value !== null && value !== undefined && value !== '') {
        mergeAttribute(signals, attributeKey(field), formatValue(field, value));
      }
    }
    if (passArc !== undefined) {
      mergePassRatio(signals, 'arc', Math.min(1, passArc));
    } else if (failArc > 0) {
      mergePassRatio(signals, 'arc', Math.max(0, 1 - failArc));
    }
  }
  return ids;
}

/** `detail__owner` shows as its display name when the datasource set one. */
function attributeKey(field: Field): string {
  const lower = field.name.toLowerCase();
  if (lower.startsWith('detail__')) {
    return `detail__${field.config?.displayName ?? field.name.slice('detail__'.length)}`;
  }
  return lower;
}

function formatValue(field: Field, value: unknown): string {
  if (field.type === FieldType.number && typeof value === 'number') {
    const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
    const unit = field.config?.unit;
    return unit && unit.length <= 3 ? `${rounded} ${unit}` : String(rounded);
  }
  return String(value);
}
