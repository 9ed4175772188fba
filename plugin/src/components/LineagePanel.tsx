import { DataFrame, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import React, { useMemo } from 'react';
import { framesToGraph, GraphResult } from '../frames/framesToGraph';
import { FrameContractError } from '../frames/FrameContractError';
import { QueryRole } from '../frames/roles';
import { LineageOptions, withDefaults } from '../options/LineageOptions';
import { LineageView } from './LineageView';

type Props = PanelProps<LineageOptions>;

/**
 * Panel entry: reads the frames into a lineage graph, or shows Grafana's data error view with a
 * message naming the missing field. It never renders an empty canvas.
 */
export function LineagePanel(props: Props) {
  const options = withDefaults(props.options);
  const rolesKey = JSON.stringify(options.roles);
  const result = useMemo(
    () =>
      readGraph(props.data.series, {
        // rolesKey, not the object, is the memo key: Grafana hands a new options object on every edit
        roles: JSON.parse(rolesKey) as Record<string, QueryRole>,
        thresholds: { warnBelow: options.passRatioWarn, failBelow: options.passRatioFail, window: options.passRatioWindow },
        labelField: options.labelField,
        lineageJoin: options.lineageJoin,
      }),
    [props.data.series, rolesKey, options.passRatioWarn, options.passRatioFail, options.passRatioWindow, options.labelField, options.lineageJoin]
  );

  if ('error' in result) {
    return <PanelDataErrorView panelId={props.id} data={props.data} fieldConfig={props.fieldConfig} message={result.error} />;
  }
  return (
    <LineageView
      graph={result.graph}
      warnings={result.warnings}
      options={options}
      width={props.width}
      height={props.height}
      timeZone={props.timeZone}
      replaceVariables={props.replaceVariables}
    />
  );
}

function readGraph(series: DataFrame[], graphOptions: Parameters<typeof framesToGraph>[1]): GraphResult | { error: string } {
  try {
    return framesToGraph(series ?? [], graphOptions);
  } catch (e) {
    if (e instanceof FrameContractError) {
      return { error: e.message };
    }
    // A bug must not blank the panel either; say what broke.
    return { error: `Could not read the query results: ${e instanceof Error ? e.message : String(e)}` };
  }
}
