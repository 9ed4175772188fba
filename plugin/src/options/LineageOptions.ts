import { DEFAULT_QUALITY_DASHBOARD_URL } from '../format/dataLinks';
import { LineageJoin } from '../frames/lineageJoin';
import { QueryRole } from '../frames/roles';
import { LayoutEngine } from '../layout/chooseLayout';
import { Direction } from '../layout/layeredLayout';
import { PipelineMode } from '../render/drawModel';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';

export interface LineageOptions {
  /** Query refId → what its frames are; missing refIds are auto-detected. */
  roles: Record<string, QueryRole>;
  direction: Direction;
  layoutEngine: LayoutEngine;
  /**
   * Dataset to centre on: a dataset name, a Marquez node id or a job name; may use dashboard
   * variables (e.g. `$dataset`, `${lineage_node}`). Empty: whole graph.
   */
  focus: string;
  /** Hops up- and downstream of the focus to show; 0 = all. */
  depth: number;
  /** Datasets drawn at most; the rest are counted in an "N hidden" marker. 0 = no limit. */
  maxNodes: number;
  pipelines: PipelineMode;
  /** How Marquez datasets meet the `dataset` label of the quality metrics. */
  lineageJoin: LineageJoin;
  /** Dashboard variable a click sets to the clicked node's Marquez id (re-centres the lineage query). */
  recentreVariable: string;
  /** Dashboard variable holding `upstream`, `downstream` or `both`; the toggles set it. */
  directionVariable: string;
  /** Attribute naming a dataset on the canvas (Node Graph `title`, a series label); falls back to the id. */
  labelField: string;
  passRatioWarn: number;
  passRatioFail: number;
  passRatioWindow: string;
  qualityDashboardUrl: string;
  marquezUrl: string;
  marquezNamespace: string;
  showLegend: boolean;
}

export const DEFAULT_OPTIONS: LineageOptions = {
  roles: {},
  direction: 'LR',
  layoutEngine: 'auto',
  focus: '',
  depth: 0,
  maxNodes: 2500,
  pipelines: 'labels',
  lineageJoin: 'auto',
  recentreVariable: 'lineage_node',
  directionVariable: 'direction',
  labelField: 'title',
  passRatioWarn: DEFAULT_THRESHOLDS.warnBelow,
  passRatioFail: DEFAULT_THRESHOLDS.failBelow,
  passRatioWindow: DEFAULT_THRESHOLDS.window,
  qualityDashboardUrl: DEFAULT_QUALITY_DASHBOARD_URL,
  marquezUrl: '',
  marquezNamespace: 'datatrust',
  showLegend: true,
};

/** Saved dashboards may predate an option; fill the gaps so the panel never reads undefined. */
export function withDefaults(options: Partial<LineageOptions> | undefined): LineageOptions {
  const merged: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined && value !== null) {
      merged[key] = value;
    }
  }
  return { ...(merged as unknown as LineageOptions), roles: { ...(options?.roles ?? {}) } };
}
