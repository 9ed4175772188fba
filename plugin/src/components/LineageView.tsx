import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2, InterpolateFunction, TimeZone } from '@grafana/data';
import { RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useMemo, useState } from 'react';
import { marquezDatasetUrl, qualityDashboardUrl } from '../format/dataLinks';
import { LINEAGE_DIRECTIONS, LineageDirection, parseDirection } from '../graph/focus';
import { highlightFor } from '../graph/highlight';
import { LineageGraph, QualityState } from '../graph/model';
import { visibleGraph } from '../graph/visibleGraph';
import { chooseLayout } from '../layout/chooseLayout';
import { dashboardHasVariable, setDashboardVariable } from '../navigation/dashboardVariables';
import { LineageOptions } from '../options/LineageOptions';
import { toDrawModel } from '../render/drawModel';
import { highlightClasses } from '../render/highlightClasses';
import { lineageStylesheet } from '../render/lineageStylesheet';
import { statePalette } from '../render/statePalette';
import { LineageCanvas } from './LineageCanvas';
import { Legend } from './Legend';
import { NodeCard } from './NodeCard';
import { Notices } from './Notices';

/** Above this many drawn elements the canvas switches to its cheaper rendering mode. */
const LARGE_GRAPH_NODES = 400;

interface Props {
  graph: LineageGraph;
  warnings: string[];
  options: LineageOptions;
  width: number;
  height: number;
  timeZone: TimeZone;
  replaceVariables: InterpolateFunction;
}

export function LineageView({ graph, warnings, options, width, height, timeZone, replaceVariables }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [selected, setSelected] = useState<string | null>(null);

  const focus = replaceVariables(options.focus ?? '').trim();
  const directionVariable = options.directionVariable.trim();
  const hasDirection = dashboardHasVariable(directionVariable);
  const direction = hasDirection ? parseDirection(replaceVariables(`\${${directionVariable}}`)) : 'both';
  const recentreVariable = options.recentreVariable.trim();
  const canRecentre = dashboardHasVariable(recentreVariable);
  const view = useMemo(
    () => visibleGraph(graph, { focus, depth: options.depth, maxNodes: options.maxNodes, direction }),
    [graph, focus, options.depth, options.maxNodes, direction]
  );
  const model = useMemo(() => toDrawModel(graph, view.nodeIds, options.pipelines), [graph, view, options.pipelines]);
  const large = model.nodes.length > LARGE_GRAPH_NODES;
  const palette = useMemo(() => statePalette(theme), [theme]);
  const stylesheet = useMemo(() => lineageStylesheet(theme, palette, large), [theme, palette, large]);
  const layout = useMemo(
    () => chooseLayout(options.layoutEngine, options.direction, model.nodes.length),
    [options.layoutEngine, options.direction, model.nodes.length]
  );

  const selectedNode = selected ? graph.nodes.get(selected) : undefined;
  const highlight = useMemo(() => (selectedNode ? highlightFor(graph, selectedNode.id) : null), [graph, selectedNode]);
  const classes = useMemo(() => (highlight ? highlightClasses(model, highlight) : null), [model, highlight]);
  const counts = useMemo(() => countStates(graph), [graph]);
  const nodeIdOf = useCallback(
    (id: string) => model.nodes.find((n) => n.id === id)?.nodeId,
    [model]
  );
  // a click re-centres the lineage query on the node, where the dashboard has the variable for it
  const recentre = useCallback(
    (id: string) => {
      const nodeId = nodeIdOf(id);
      if (canRecentre && nodeId && nodeId !== focus) {
        setDashboardVariable(recentreVariable, nodeId);
      }
    },
    [canRecentre, nodeIdOf, focus, recentreVariable]
  );
  const onSelect = useCallback(
    (id: string | null) => {
      setSelected(id);
      if (id) {
        recentre(id);
      }
    },
    [recentre]
  );
  const onJob = useCallback((id: string) => recentre(id), [recentre]);
  const onDirection = useCallback(
    (value: LineageDirection) => setDashboardVariable(directionVariable, value),
    [directionVariable]
  );

  // the card docks beside the canvas rather than over it, so it never hides the datasets it explains
  const cardWidth = selectedNode ? Math.round(Math.min(340, Math.max(240, width * 0.3))) : 0;
  const canvasWidth = Math.max(0, width - cardWidth);

  const notices = [...warnings];
  if (view.focusMissing) {
    notices.unshift(`Focus dataset "${view.focusMissing}" is not in the data; showing the whole graph`);
  }

  return (
    <div className={styles.root} style={{ width, height }} data-testid="lineage-panel">
      <div className={styles.canvasArea}>
        <LineageCanvas
          model={model}
          stylesheet={stylesheet}
          layout={layout}
          large={large}
          highlight={classes}
          focus={view.focus}
          width={canvasWidth}
          height={height}
          onSelect={onSelect}
          onJob={onJob}
        />
        {hasDirection && (
          <div className={styles.direction} data-testid="lineage-direction">
            <RadioButtonGroup<LineageDirection>
              size="sm"
              value={direction}
              onChange={onDirection}
              options={LINEAGE_DIRECTIONS.map((d) => ({ value: d, label: DIRECTION_LABELS[d], description: DIRECTION_HELP[d] }))}
            />
          </div>
        )}
        {options.showLegend && <Legend palette={palette} counts={counts} highlightActive={highlight !== null} />}
        {(view.hidden > 0 || notices.length > 0) && <Notices hidden={view.hidden} limit={options.maxNodes} notices={notices} />}
      </div>
      {selectedNode && highlight && (
        <NodeCard
          width={cardWidth}
          node={selectedNode}
          graph={graph}
          highlight={highlight}
          palette={palette}
          qualityUrl={replaceVariables(qualityDashboardUrl(options.qualityDashboardUrl, selectedNode.id))}
          marquezUrl={
            selectedNode.lineage
              ? marquezDatasetUrl(options.marquezUrl, selectedNode.lineage.namespace, selectedNode.lineage.name)
              : marquezDatasetUrl(options.marquezUrl, options.marquezNamespace, selectedNode.id)
          }
          nowMs={Date.now()}
          formatTime={(ms) => dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD HH:mm' })}
          onClose={() => setSelected(null)}
          onSelect={onSelect}
        />
      )}
    </div>
  );
}

const DIRECTION_LABELS: Record<LineageDirection, string> = { upstream: 'Upstream', both: 'Both', downstream: 'Downstream' };
const DIRECTION_HELP: Record<LineageDirection, string> = {
  upstream: 'Where the focus gets its data from',
  both: 'Upstream and downstream of the focus',
  downstream: 'What the focus feeds: its impact',
};

function countStates(graph: LineageGraph): Record<QualityState, number> {
  const counts: Record<QualityState, number> = { failed: 0, blocked: 0, warn: 0, ok: 0, unknown: 0 };
  for (const node of graph.nodes.values()) {
    counts[node.state]++;
  }
  return counts;
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    display: 'flex',
    overflow: 'hidden',
    fontFamily: theme.typography.fontFamily,
  }),
  canvasArea: css({
    position: 'relative',
    flex: 1,
    minWidth: 0,
    height: '100%',
  }),
  direction: css({
    position: 'absolute',
    top: theme.spacing(1),
    right: theme.spacing(1),
  }),
});
