import { DataFrame, DataFrameJSON } from '@grafana/data';
import { toDataQueryResponse } from '@grafana/runtime';
import fs from 'fs';
import jsonata from 'jsonata';
import path from 'path';
import { backendResponse, infinityTableFrame } from '../src/testing/infinityTableFrame';

export const INFINITY_TYPE = 'yesoreyeram-infinity-datasource';
export const LINEAGE_DASHBOARD = path.resolve(__dirname, '../../dashboards/datatrust-lineage.json');

interface Target {
  refId: string;
  datasource?: { type?: string; uid?: string };
  [key: string]: unknown;
}

/** The Infinity query the lineage dashboard ships, as saved in dashboards/datatrust-lineage.json. */
export function shippedLineageTarget(): Target {
  const dashboard = JSON.parse(fs.readFileSync(LINEAGE_DASHBOARD, 'utf8')) as { panels: Array<{ type: string; targets?: Target[] }> };
  const targets = dashboard.panels.flatMap((p) => (p.type === 'datatrust-lineage-panel' ? (p.targets ?? []) : []));
  const infinity = targets.filter((t) => t.datasource?.type === INFINITY_TYPE);
  if (infinity.length !== 1) {
    throw new Error(`expected one Infinity query on the lineage panel of ${LINEAGE_DASHBOARD}, found ${infinity.length}`);
  }
  return infinity[0] as Target;
}

/**
 * A Marquez `GET /api/v1/lineage` answer → the frames the panel gets in Grafana: the dashboard's
 * JSONata applied (the `jsonata` reference implementation; Infinity runs jsonata-go), the frame
 * Infinity's backend builds from the result, sent as JSON over /api/ds/query, and decoded by
 * Grafana's own `toDataQueryResponse`.
 */
export async function panelFramesFor(marquezAnswer: unknown): Promise<{ frames: DataFrame[]; wire: DataFrameJSON }> {
  const target = shippedLineageTarget();
  const result = await jsonata(String(target.root_selector)).evaluate(marquezAnswer);
  const wire = JSON.parse(JSON.stringify(infinityTableFrame(target.refId, result))) as DataFrameJSON;
  const response = toDataQueryResponse({ data: JSON.parse(JSON.stringify(backendResponse(target.refId, wire))) });
  return { frames: response.data as DataFrame[], wire };
}

export function readFixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../src/testing/fixtures', name), 'utf8'));
}
