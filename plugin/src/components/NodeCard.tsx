import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { LinkButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { formatDuration, formatRatio } from '../format/formatDuration';
import { Highlight } from '../graph/highlight';
import { CheckOutcome, DatasetNode, LineageGraph } from '../graph/model';
import { hatchImage } from '../render/lineageStylesheet';
import { StatePalette } from '../render/statePalette';
import { describeOwnChecks, describeState } from '../format/describeState';

interface Props {
  width: number;
  node: DatasetNode;
  graph: LineageGraph;
  highlight: Highlight;
  palette: StatePalette;
  qualityUrl: string;
  marquezUrl?: string;
  nowMs: number;
  formatTime: (ms: number) => string;
  onClose: () => void;
  onSelect: (id: string) => void;
}

const OUTCOME_ORDER: Record<CheckOutcome, number> = { error: 0, fail: 1, warn: 2, pass: 3 };
const WINDOW_ORDER = ['1d', '7d', '30d'];

/** Side card for the clicked dataset: why it has its colour, and where to go next. */
export function NodeCard({ width, node, graph, highlight, palette, qualityUrl, marquezUrl, nowMs, formatTime, onClose, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const { signals } = node;
  const problems = signals.checks
    .filter((c) => c.outcome !== 'pass')
    .sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || a.name.localeCompare(b.name));
  const passing = signals.checks.length - problems.length;
  const windows = Object.keys(signals.passRatio).sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b)
  );
  const details = Object.entries(signals.attributes).filter(([key]) => key !== 'title');
  const labelOf = (id: string) => graph.nodes.get(id)?.label ?? id;
  const nearest = node.blockingAncestors[0];

  return (
    <aside className={styles.card} style={{ width }} data-testid="lineage-node-card" aria-label={`Dataset ${node.label}`}>
      <header className={styles.header}>
        <span
          className={styles.swatch}
          style={{
            backgroundColor: palette.fill[node.state],
            backgroundImage: node.state === 'blocked' ? `url("${hatchImage(palette.hatch)}")` : undefined,
          }}
        />
        <div className={styles.titles}>
          <h3 className={styles.title}>{node.label}</h3>
          {node.label !== node.id && <div className={styles.id}>{node.id}</div>}
        </div>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>

      <div className={styles.state} data-testid="lineage-node-state">
        {describeState(node)}
        {node.state === 'blocked' && <div className={styles.since}>{describeOwnChecks(node)}</div>}
        {signals.sinceMs !== undefined && (
          <div className={styles.since}>
            {signals.sinceIsLowerBound ? 'for at least ' : 'since '}
            {formatDuration((nowMs - signals.sinceMs) / 1000)} · {formatTime(signals.sinceMs)}
          </div>
        )}
      </div>

      {node.rootCauses.length > 0 && (
        <Row label="Root cause">
          {node.rootCauses.map((id) => (
            <button key={id} type="button" className={styles.link} onClick={() => onSelect(id)}>
              {labelOf(id)}
            </button>
          ))}
          {nearest && !node.rootCauses.includes(nearest) && <span className={styles.muted}> via {labelOf(nearest)}</span>}
        </Row>
      )}

      <Row label="Pass ratio">
        {windows.length === 0 ? (
          <span className={styles.muted}>no check results</span>
        ) : (
          windows.map((w) => (
            <span key={w} className={styles.chip}>
              {w && w !== 'arc' ? `${w} ` : ''}
              <strong>{formatRatio(signals.passRatio[w] ?? 0)}</strong>
            </span>
          ))
        )}
      </Row>

      <Row label="Freshness">
        {signals.freshnessSeconds === undefined ? (
          <span className={styles.muted}>unknown</span>
        ) : (
          <span>updated {formatDuration(signals.freshnessSeconds)} ago</span>
        )}
      </Row>

      <Row label="Checks">
        {signals.checks.length === 0 ? (
          <span className={styles.muted}>none reported</span>
        ) : (
          <div className={styles.checks}>
            <span className={styles.muted}>
              {passing} of {signals.checks.length} pass
            </span>
            <ul className={styles.list} data-testid="lineage-failing-checks">
              {problems.map((check) => (
                <li key={check.name} className={styles.check}>
                  <span className={styles.outcome} data-outcome={check.outcome}>
                    {check.outcome}
                  </span>
                  <span className={styles.checkName} title={check.name}>
                    {check.name}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </Row>

      <Row label="Impact">
        <span data-testid="lineage-blast-radius">
          {highlight.blast.nodes.size} downstream · {highlight.upstream.nodes.size} upstream
        </span>
      </Row>

      {details.map(([key, value]) => (
        <Row key={key} label={key.replace(/^detail__/, '')}>
          <span className={styles.detail}>{value}</span>
        </Row>
      ))}

      <div className={styles.actions}>
        <LinkButton size="sm" variant="primary" href={qualityUrl}>
          Quality dashboard
        </LinkButton>
        {marquezUrl && (
          <LinkButton size="sm" variant="secondary" href={marquezUrl} target="_blank" rel="noreferrer">
            Open in Marquez
          </LinkButton>
        )}
      </div>
    </aside>
  );

}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.row}>
      <div className={styles.rowLabel}>{label}</div>
      <div className={styles.rowValue}>{children}</div>
    </div>
  );
}

function rank(window: string): number {
  const i = WINDOW_ORDER.indexOf(window);
  return i === -1 ? WINDOW_ORDER.length : i;
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    flexShrink: 0,
    height: '100%',
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5),
    background: theme.colors.background.secondary,
    borderLeft: `1px solid ${theme.colors.border.medium}`,
    color: theme.colors.text.primary,
    fontSize: theme.typography.body.fontSize,
  }),
  header: css({ display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) }),
  swatch: css({ width: 14, height: 14, borderRadius: 3, marginTop: 4, flexShrink: 0 }),
  titles: css({ flex: 1, minWidth: 0 }),
  title: css({ margin: 0, fontSize: theme.typography.h5.fontSize, fontWeight: theme.typography.fontWeightMedium, overflowWrap: 'anywhere' }),
  id: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  close: css({
    border: 'none',
    background: 'none',
    color: theme.colors.text.secondary,
    fontSize: 20,
    lineHeight: 1,
    cursor: 'pointer',
    padding: 0,
    '&:hover': { color: theme.colors.text.primary },
  }),
  state: css({ fontWeight: theme.typography.fontWeightMedium }),
  since: css({ fontWeight: theme.typography.fontWeightRegular, color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  row: css({ display: 'grid', gridTemplateColumns: '84px 1fr', gap: theme.spacing(1), alignItems: 'baseline' }),
  rowLabel: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  rowValue: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), minWidth: 0 }),
  chip: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.canvas,
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  }),
  muted: css({ color: theme.colors.text.secondary }),
  checks: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 0 }),
  list: css({ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
  check: css({ display: 'flex', gap: theme.spacing(0.75), alignItems: 'baseline', minWidth: 0 }),
  outcome: css({
    fontSize: 10,
    fontWeight: theme.typography.fontWeightBold,
    textTransform: 'uppercase',
    padding: theme.spacing(0, 0.5),
    borderRadius: 2,
    flexShrink: 0,
    color: theme.colors.getContrastText(theme.colors.error.main),
    background: theme.colors.error.main,
    '&[data-outcome="warn"]': {
      background: theme.colors.warning.main,
      color: theme.colors.getContrastText(theme.colors.warning.main),
    },
    '&[data-outcome="error"]': {
      background: theme.visualization.getColorByName('purple'),
      color: theme.colors.getContrastText(theme.visualization.getColorByName('purple')),
    },
  }),
  checkName: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize, overflowWrap: 'anywhere' }),
  link: css({
    border: 'none',
    background: 'none',
    padding: 0,
    color: theme.colors.text.link,
    cursor: 'pointer',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    '&:hover': { textDecoration: 'underline' },
  }),
  detail: css({ overflowWrap: 'anywhere' }),
  actions: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), marginTop: theme.spacing(0.5) }),
});
