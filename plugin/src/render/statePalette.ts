import { GrafanaTheme2 } from '@grafana/data';
import { QualityState } from '../graph/model';

/** Colours for each quality state and for the click highlight, taken from the Grafana theme. */
export interface StatePalette {
  fill: Record<QualityState, string>;
  text: Record<QualityState, string>;
  /** Stripe colour drawn over blocked datasets, so "blocked" reads even without colour vision. */
  hatch: string;
  /** Downstream impact of the selection. */
  impact: string;
  /** Path from the root cause to the selection. */
  cause: string;
  edge: string;
  /** Edges leaving a dataset whose breaker is open: no data flows there. */
  edgeBlocked: string;
  canvasText: string;
  canvasBackground: string;
  pipelineFill: string;
}

export const STATE_ORDER: QualityState[] = ['failed', 'blocked', 'warn', 'ok', 'unknown'];

export const STATE_LABELS: Record<QualityState, string> = {
  failed: 'Breaker open',
  blocked: 'Blocked upstream',
  warn: 'Warn',
  ok: 'All pass',
  unknown: 'No checks',
};

export function statePalette(theme: GrafanaTheme2): StatePalette {
  const byName = (name: string) => theme.visualization.getColorByName(name);
  const fill: Record<QualityState, string> = {
    failed: byName('red'),
    blocked: byName('dark-red'),
    warn: byName('orange'),
    ok: byName('green'),
    // A solid mid grey in both modes: translucent theme greys would vanish behind edges.
    unknown: theme.isDark ? '#5b5f69' : '#aeb3bb',
  };
  const text = Object.fromEntries(
    STATE_ORDER.map((state) => [state, theme.colors.getContrastText(fill[state])])
  ) as Record<QualityState, string>;
  return {
    fill,
    text,
    hatch: 'rgba(0, 0, 0, 0.45)',
    impact: byName('blue'),
    cause: byName('purple'),
    edge: theme.colors.text.disabled,
    edgeBlocked: byName('red'),
    canvasText: theme.colors.text.primary,
    canvasBackground: theme.colors.background.primary,
    pipelineFill: theme.colors.background.secondary,
  };
}
