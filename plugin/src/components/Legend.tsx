import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { QualityState } from '../graph/model';
import { hatchImage } from '../render/lineageStylesheet';
import { STATE_LABELS, STATE_ORDER, StatePalette } from '../render/statePalette';

interface Props {
  palette: StatePalette;
  counts: Record<QualityState, number>;
  /** Show the highlight colours too while a dataset is selected. */
  highlightActive: boolean;
}

/** Colour key with a count per state: on a wall screen the counts are the headline. */
export function Legend({ palette, counts, highlightActive }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.legend} data-testid="lineage-legend" aria-label="Legend">
      {STATE_ORDER.map((state) => (
        <span key={state} className={cx(styles.item, counts[state] === 0 && styles.zero)} data-state={state}>
          <span
            className={styles.swatch}
            style={{
              backgroundColor: palette.fill[state],
              backgroundImage: state === 'blocked' ? `url("${hatchImage(palette.hatch)}")` : undefined,
            }}
          />
          {STATE_LABELS[state]}
          <span className={styles.count}>{counts[state]}</span>
        </span>
      ))}
      {highlightActive && (
        <>
          <span className={styles.item}>
            <span className={styles.line} style={{ backgroundColor: palette.impact }} />
            Downstream impact
          </span>
          <span className={styles.item}>
            <span className={styles.line} style={{ backgroundColor: palette.cause }} />
            Path to root cause
          </span>
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    position: 'absolute',
    left: theme.spacing(1),
    bottom: theme.spacing(1),
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    maxWidth: `calc(100% - ${theme.spacing(2)})`,
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
    pointerEvents: 'none',
    zIndex: 1,
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), whiteSpace: 'nowrap' }),
  zero: css({ color: theme.colors.text.secondary }),
  swatch: css({ width: 14, height: 10, borderRadius: 2, display: 'inline-block' }),
  line: css({ width: 16, height: 3, borderRadius: 2, display: 'inline-block' }),
  count: css({ fontWeight: theme.typography.fontWeightMedium, fontVariantNumeric: 'tabular-nums' }),
});
