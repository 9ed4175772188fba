import { fireEvent, render, screen, within } from '@testing-library/react';
import { createDataFrame, DataFrame, EventBusSrv, FieldType, getDefaultTimeRange, LoadingState, PanelProps } from '@grafana/data';
import { locationService, setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import React from 'react';
import { DEFAULT_OPTIONS, LineageOptions } from '../options/LineageOptions';
import { demoFrames } from '../testing/demoLineage';
import { marquezFrame, marquezRows } from '../testing/frameBuilders';
import { LineagePanel } from './LineagePanel';

// jsdom has no canvas: stand in for cytoscape with one button per drawn dataset
jest.mock('./LineageCanvas', () => ({
  LineageCanvas: (props: { model: { nodes: Array<{ id: string; kind: string }> }; onSelect: (id: string) => void }) => (
    <div data-testid="lineage-canvas">
      {props.model.nodes
        .filter((n) => n.kind === 'dataset')
        .map((n) => (
          <button key={n.id} onClick={() => props.onSelect(n.id)}>
            {n.id}
          </button>
        ))}
    </div>
  ),
}));

const NOW = Date.now();

function renderPanel(series: DataFrame[], options: Partial<LineageOptions> = {}) {
  const timeRange = getDefaultTimeRange();
  const props: PanelProps<LineageOptions> = {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 900,
    height: 400,
    renderCounter: 0,
    title: 'Lineage',
    eventBus: new EventBusSrv(),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (value: string) => value.replace('$dataset', 'aggregated_sales'),
    onChangeTimeRange: jest.fn(),
  };
  return render(<LineagePanel {...props} />);
}

describe('LineagePanel', () => {
  it('names the missing field in the data error view instead of drawing a blank canvas', () => {
    const broken = createDataFrame({ refId: 'A', name: 'edges', fields: [{ name: 'source', type: FieldType.string, values: ['a'] }] });
    renderPanel([broken]);
    expect(screen.getByText(/needs fields `source` and `target`.*found: source/)).toBeInTheDocument();
    expect(screen.queryByTestId('lineage-canvas')).not.toBeInTheDocument();
  });

  it('explains the data contract when the query returned nothing', () => {
    renderPanel([]);
    expect(screen.getByText(/No data: the lineage panel needs an edges frame/)).toBeInTheDocument();
  });

  it('shows a legend with the number of datasets in each state', () => {
    renderPanel(demoFrames(NOW));
    const legend = screen.getByTestId('lineage-legend');
    expect(legend).toHaveTextContent('Breaker open1');
    expect(legend).toHaveTextContent('Blocked upstream2');
    expect(legend).toHaveTextContent('Warn0');
    expect(legend).toHaveTextContent('All pass1');
    expect(legend).toHaveTextContent('No checks0');
  });

  it('opens a side card with pass ratio, freshness, failing checks, since when and links', () => {
    renderPanel(demoFrames(NOW), { marquezUrl: 'http://marquez:3000' });
    fireEvent.click(screen.getByRole('button', { name: 'cleaned_transactions' }));
    const card = screen.getByTestId('lineage-node-card');
    expect(card).toHaveTextContent('Breaker open: own checks failing');
    expect(card).toHaveTextContent('since 2 h 15 min');
    expect(card).toHaveTextContent('1d 50.0 %');
    expect(card).toHaveTextContent('7d 93.0 %');
    expect(card).toHaveTextContent('updated 2 h 11 min ago');
    expect(card).toHaveTextContent('1 of 4 pass');
    expect(screen.getByTestId('lineage-failing-checks')).toHaveTextContent(
      'failduplicate_count(transaction_id) = 0failmissing_count(customer_id) = 0warninvalid_percent(amount) < 1%'
    );
    expect(screen.getByTestId('lineage-blast-radius')).toHaveTextContent('2 downstream · 1 upstream');
    expect(screen.getByRole('link', { name: 'Quality dashboard' })).toHaveAttribute(
      'href',
      '/d/datatrust-quality/datatrust-data-quality?var-dataset=cleaned_transactions'
    );
    expect(screen.getByRole('link', { name: 'Open in Marquez' })).toHaveAttribute(
      'href',
      'http://marquez:3000/lineage/dataset/datatrust/cleaned_transactions'
    );
  });

  it('names the root cause of a blocked dataset and jumps to it', () => {
    renderPanel(demoFrames(NOW));
    fireEvent.click(screen.getByRole('button', { name: 'sales_dashboard' }));
    expect(screen.getByTestId('lineage-node-state')).toHaveTextContent('Blocked: an upstream breaker is open');
    const card = screen.getByTestId('lineage-node-card');
    expect(card).toHaveTextContent('Own checks: none (coverage gap)');
    fireEvent.click(within(card).getByRole('button', { name: 'cleaned_transactions' }));
    expect(screen.getByRole('heading', { level: 3 })).toHaveTextContent('cleaned_transactions');
  });

  it('shows an "N hidden" marker when the graph is over the node limit', () => {
    renderPanel(demoFrames(NOW), { maxNodes: 2 });
    expect(screen.getByTestId('lineage-hidden-marker')).toHaveTextContent('2 hidden');
    expect(screen.getAllByRole('button')).toHaveLength(2);
  });

  it('focuses on a dataset named through a dashboard variable, at the chosen depth', () => {
    renderPanel(demoFrames(NOW), { focus: '$dataset', depth: 1 });
    const drawn = screen.getAllByRole('button').map((b) => b.textContent);
    expect(drawn.sort()).toEqual(['aggregated_sales', 'cleaned_transactions', 'sales_dashboard']);
  });

  it('notes a focus dataset that is not in the data', () => {
    renderPanel(demoFrames(NOW), { focus: 'nope' });
    expect(screen.getByTestId('lineage-notice')).toHaveTextContent('Focus dataset "nope" is not in the data');
  });

  describe('on a dashboard with lineage_node and direction variables', () => {
    const withVariables = (names: string[]) =>
      setTemplateSrv({ getVariables: () => names.map((name) => ({ name })) } as unknown as TemplateSrv);
    let partial: jest.SpyInstance;
    beforeEach(() => {
      partial = jest.spyOn(locationService, 'partial').mockImplementation(() => undefined);
    });
    afterEach(() => {
      partial.mockRestore();
      withVariables([]);
    });

    it('re-centres the lineage query on a clicked dataset through its Marquez node id', () => {
      withVariables(['lineage_node', 'direction']);
      renderPanel([marquezFrame('lineage', marquezRows())]);
      fireEvent.click(screen.getByRole('button', { name: 'ns/b' }));
      expect(partial).toHaveBeenCalledWith({ 'var-lineage_node': 'dataset:ns:b' });
      // the selection still shows its card
      expect(screen.getByRole('heading', { level: 3 })).toHaveTextContent('b');
    });

    it('sets direction from its toggles', () => {
      withVariables(['lineage_node', 'direction']);
      renderPanel([marquezFrame('lineage', marquezRows())]);
      fireEvent.click(within(screen.getByTestId('lineage-direction')).getByLabelText('Downstream'));
      expect(partial).toHaveBeenCalledWith({ 'var-direction': 'downstream' });
    });

    it('only highlights where the dashboard has no such variable (the quality dashboard)', () => {
      withVariables([]);
      renderPanel([marquezFrame('lineage', marquezRows())]);
      fireEvent.click(screen.getByRole('button', { name: 'ns/b' }));
      expect(partial).not.toHaveBeenCalled();
      expect(screen.queryByTestId('lineage-direction')).toBeNull();
    });
  });
});
