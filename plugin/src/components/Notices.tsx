import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

interface Props {
  /** Datasets left out by the node limit. */
  hidden: number;
  limit: number;
  /** Non-fatal data problems (unused queries, skipped rows, a missing focus dataset). */
  notices: string[];
}

/** The "N hidden" marker and data notices, top left, so a partial picture never passes as whole. */
export function Notices({ hidden, limit, notices }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stack}>
      {hidden > 0 && (
        <div className={styles.hidden} data-testid="lineage-hidden-marker" title={`Only ${limit} datasets are drawn`}>
          {hidden.toLocaleString('en-US')} hidden
          <span className={styles.hint}> · problems shown first; set a focus dataset or raise “Max datasets drawn”</span>
        </div>
      )}
      {notices.map((notice) => (
        <div key={notice} className={styles.notice} data-testid="lineage-notice">
          {notice}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  stack: css({
    position: 'absolute',
    top: theme.spacing(1),
    left: theme.spacing(1),
    maxWidth: '60%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    zIndex: 1,
    pointerEvents: 'none',
  }),
  hidden: css({
    alignSelf: 'flex-start',
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px dashed ${theme.colors.border.strong}`,
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
  }),
  hint: css({ fontWeight: theme.typography.fontWeightRegular, color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  notice: css({
    padding: theme.spacing(0.25, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.warning.transparent,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
