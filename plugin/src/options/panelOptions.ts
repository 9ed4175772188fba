import { PanelOptionsEditorBuilder } from '@grafana/data';
import { LINEAGE_JOINS } from '../frames/lineageJoin';
import { QueryRole } from '../frames/roles';
import { DEFAULT_OPTIONS, LineageOptions } from './LineageOptions';
import { RoleMappingEditor } from './RoleMappingEditor';

const LINEAGE = ['Lineage'];
const COLOURS = ['Quality colours'];
const LINKS = ['Links'];
const DATA = ['Data'];
const MARQUEZ = ['Marquez lineage'];

export function buildPanelOptions(builder: PanelOptionsEditorBuilder<LineageOptions>): PanelOptionsEditorBuilder<LineageOptions> {
  return builder
    .addRadio({
      path: 'direction',
      name: 'Layout direction',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.direction,
      settings: {
        options: [
          { value: 'LR', label: 'Left → right' },
          { value: 'TB', label: 'Top → bottom' },
          { value: 'RL', label: 'Right → left' },
          { value: 'BT', label: 'Bottom → top' },
        ],
      },
    })
    .addTextInput({
      path: 'focus',
      name: 'Focus dataset',
      description: 'Centre on this dataset (name, Marquez node id or job) and show its lineage only. Dashboard variables work, e.g. $dataset or ${lineage_node}.',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.focus,
    })
    .addNumberInput({
      path: 'depth',
      name: 'Depth',
      description: 'Hops upstream and downstream of the focus dataset (0 = all).',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.depth,
      settings: { min: 0, integer: true },
    })
    .addRadio({
      path: 'pipelines',
      name: 'Pipelines',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.pipelines,
      description: 'Pipelines (OpenLineage jobs) as labels on dataset edges, or as nodes between them. Jobs that only write or only read are nodes either way.',
      settings: {
        options: [
          { value: 'labels', label: 'Edge labels' },
          { value: 'nodes', label: 'Nodes' },
          { value: 'hidden', label: 'Hidden' },
        ],
      },
    })
    .addRadio({
      path: 'lineageJoin',
      name: 'Join datasets to metrics by',
      description:
        'The `dataset` label of the quality metrics, for a Marquez dataset {namespace, name}. Rows with `dataset`, `namespace` and `name` map configured names and win in every mode.',
      category: MARQUEZ,
      defaultValue: DEFAULT_OPTIONS.lineageJoin,
      settings: { options: LINEAGE_JOINS.map(({ value, label, description }) => ({ value, label, description })) },
    })
    .addTextInput({
      path: 'recentreVariable',
      name: 'Re-centre variable',
      description: 'Clicking a dataset or job sets this dashboard variable to its Marquez node id, so the lineage query runs around it. Empty: clicks only highlight.',
      category: MARQUEZ,
      defaultValue: DEFAULT_OPTIONS.recentreVariable,
    })
    .addTextInput({
      path: 'directionVariable',
      name: 'Direction variable',
      description: 'Dashboard variable with upstream, downstream or both. The panel shows that side of the focus and its toggles set the variable.',
      category: MARQUEZ,
      defaultValue: DEFAULT_OPTIONS.directionVariable,
    })
    .addTextInput({
      path: 'labelField',
      name: 'Node label field',
      description: 'Label or field that names a dataset on the canvas (e.g. Node Graph `title`); the dataset id otherwise.',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.labelField,
    })
    .addNumberInput({
      path: 'maxNodes',
      name: 'Max datasets drawn',
      description: 'Beyond this, healthy datasets are collapsed into an "N hidden" marker (0 = no limit).',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.maxNodes,
      settings: { min: 0, integer: true },
    })
    .addRadio({
      path: 'layoutEngine',
      name: 'Layout engine',
      description: 'Auto uses dagre for small graphs and a fast layered layout for large ones.',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.layoutEngine,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'dagre', label: 'dagre' },
          { value: 'layered', label: 'Fast layered' },
        ],
      },
    })
    .addBooleanSwitch({
      path: 'showLegend',
      name: 'Show legend',
      category: LINEAGE,
      defaultValue: DEFAULT_OPTIONS.showLegend,
    })
    .addSliderInput({
      path: 'passRatioWarn',
      name: 'Warn below pass ratio',
      description: 'Amber when the check pass ratio is below this.',
      category: COLOURS,
      defaultValue: DEFAULT_OPTIONS.passRatioWarn,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addSliderInput({
      path: 'passRatioFail',
      name: 'Fail below pass ratio',
      description: 'Red when the check pass ratio is below this.',
      category: COLOURS,
      defaultValue: DEFAULT_OPTIONS.passRatioFail,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addRadio({
      path: 'passRatioWindow',
      name: 'Pass ratio window',
      description: 'Which `window` label of datatrust_check_pass_ratio decides the colour.',
      category: COLOURS,
      defaultValue: DEFAULT_OPTIONS.passRatioWindow,
      settings: {
        options: [
          { value: '1d', label: '1 day' },
          { value: '7d', label: '7 days' },
          { value: '30d', label: '30 days' },
        ],
      },
    })
    .addTextInput({
      path: 'qualityDashboardUrl',
      name: 'Quality dashboard URL',
      description: '${dataset} is replaced by the dataset id; dashboard variables work too.',
      category: LINKS,
      defaultValue: DEFAULT_OPTIONS.qualityDashboardUrl,
    })
    .addTextInput({
      path: 'marquezUrl',
      name: 'Marquez URL',
      description: 'Marquez web UI, e.g. http://localhost:3000. Empty hides the Marquez link.',
      category: LINKS,
      defaultValue: DEFAULT_OPTIONS.marquezUrl,
    })
    .addTextInput({
      path: 'marquezNamespace',
      name: 'Marquez namespace',
      category: LINKS,
      defaultValue: DEFAULT_OPTIONS.marquezNamespace,
      showIf: (options) => Boolean(options.marquezUrl),
    })
    .addCustomEditor<void, Record<string, QueryRole>>({
      id: 'roles',
      path: 'roles',
      name: 'Query roles',
      description: 'What each query returns. Auto-detect reads field names, labels and metric names.',
      category: DATA,
      defaultValue: DEFAULT_OPTIONS.roles,
      editor: RoleMappingEditor,
    });
}
