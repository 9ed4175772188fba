import { css } from '@emotion/css';
import { GrafanaTheme2, StandardEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, useStyles2 } from '@grafana/ui';
import React from 'react';
import { QUERY_ROLES, QueryRole } from '../frames/roles';

type Props = StandardEditorProps<Record<string, QueryRole>>;

const OPTIONS: Array<ComboboxOption<QueryRole>> = QUERY_ROLES.map((r) => ({
  value: r.value,
  label: r.label,
  description: r.description,
}));

/** One role picker per query of the panel (plus any refId saved earlier). */
export function RoleMappingEditor({ value, onChange, context }: Props) {
  const styles = useStyles2(getStyles);
  const roles = value ?? {};
  const refIds = new Set<string>(Object.keys(roles));
  for (const frame of context.data ?? []) {
    if (frame.refId) {
      refIds.add(frame.refId);
    }
  }
  if (refIds.size === 0) {
    return <div className={styles.empty}>Add a query; each query&apos;s role is auto-detected unless set here.</div>;
  }
  return (
    <div className={styles.list}>
      {[...refIds].sort().map((refId) => (
        <div key={refId} className={styles.row}>
          <label htmlFor={`datatrust-role-${refId}`} className={styles.refId} title={`Role of query ${refId}`}>
            {refId}
          </label>
          <Combobox<QueryRole>
            id={`datatrust-role-${refId}`}
            options={OPTIONS}
            value={roles[refId] ?? 'auto'}
            onChange={(option) => {
              const next = { ...roles };
              if (option.value === 'auto') {
                delete next[refId];
              } else {
                next[refId] = option.value;
              }
              onChange(next);
            }}
          />
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  row: css({ display: 'grid', gridTemplateColumns: '32px 1fr', alignItems: 'center', gap: theme.spacing(1) }),
  refId: css({ fontFamily: theme.typography.fontFamilyMonospace, color: theme.colors.text.secondary }),
  empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
