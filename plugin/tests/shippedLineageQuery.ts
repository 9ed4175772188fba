import type { DataFrameJSON } from '@grafana/data';
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
 * A Marquez `GET /api/v1/lineage` answer → Grafana's `/api/ds/query` answer for the lineage query:
 * the dashboard's JSONata applied (the `jsonata` reference implementation; Infinity runs
 * jsonata-go), the frame Infinity's backend builds from the result, as JSON on the wire. Grafana's
 * own `toDataQueryResponse` turns it into the panel's frames.
 */
export async function lineageQueryAnswer(marquezAnswer: unknown): Promise<{ wire: DataFrameJSON; body: ReturnType<typeof backendResponse> }> {
  const target = shippedLineageTarget();
  const result = await jsonata(String(target.root_selector)).evaluate(marquezAnswer);
  const wire = JSON.parse(JSON.stringify(infinityTableFrame(target.refId, result))) as DataFrameJSON;
  return { wire, body: JSON.parse(JSON.stringify(backendResponse(target.refId, wire))) };
}

export function readFixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../src/testing/fixtures', name), 'utf8'));
}
