import { GrafanaTheme2 } from '@grafana/data';
import cytoscape from 'cytoscape';
import { STATE_ORDER, StatePalette } from './statePalette';
import { FONT_SIZE } from './nodeSize';

/** Diagonal stripes laid over blocked datasets (a tiling SVG; cytoscape repeats it). */
export function hatchImage(stroke: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` +
    `<path d="M-3,3 l6,-6 M0,10 l10,-10 M7,13 l6,-6" stroke="${stroke}" stroke-width="3"/></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/**
 * Cytoscape stylesheet for the theme. `large` (thousands of elements) trades looks that cannot be
 * seen at that zoom for first-render time, measured in headless Chromium at 2,000 datasets: haystack
 * edges (straight, no arrowheads) instead of bezier, square corners, no ellipsis measuring, no hatch pattern (blocked stays
 * dark red), and no edge labels (pipeline names on 3,000 edges are noise; the side card lists them).
 */
export function lineageStylesheet(theme: GrafanaTheme2, palette: StatePalette, large: boolean): cytoscape.StylesheetJson {
  const font = theme.typography.fontFamily;
  const sheet: cytoscape.StylesheetJson = [
    {
      selector: 'node',
      style: {
        shape: large ? 'rectangle' : 'round-rectangle',
        width: 'data(width)',
        height: 'data(height)',
        label: 'data(label)',
        'font-family': font,
        'font-size': FONT_SIZE,
        'font-weight': 500,
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': large ? 'none' : 'ellipsis',
        'text-max-width': 'data(textWidth)',
        // below this on-screen size labels are skipped: unreadable anyway, and cheap to skip
        'min-zoomed-font-size': 7,
        'border-width': 0,
      },
    },
  ];
  for (const state of STATE_ORDER) {
    sheet.push({
      selector: `node.state-${state}`,
      style: { 'background-color': palette.fill[state], color: palette.text[state] },
    });
  }
  if (!large) {
    sheet.push({
      selector: 'node.state-blocked',
      style: {
        'background-image': hatchImage(palette.hatch),
        'background-repeat': 'repeat',
        'background-fit': 'none',
        'background-clip': 'node',
        'background-image-containment': 'over',
      },
    });
  }
  sheet.push(
    {
      // pipelines (jobs) are small outlined pills so datasets stay the visual subject
      selector: 'node.pipeline',
      style: {
        shape: 'round-rectangle',
        'background-color': palette.pipelineFill,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': theme.colors.text.secondary,
        color: theme.colors.text.secondary,
        'font-size': FONT_SIZE - 2,
        'font-weight': 400,
        'font-style': 'italic',
      },
    },
    {
      // a job whose gate would refuse it: blocked colours, solid border so it reads as a job
      selector: 'node.pipeline.state-blocked',
      style: {
        'background-color': palette.fill.blocked,
        color: palette.text.blocked,
        'border-style': 'solid',
        'border-color': palette.fill.failed,
        ...(large
          ? {}
          : {
              'background-image': hatchImage(palette.hatch),
              'background-repeat': 'repeat',
              'background-fit': 'none',
              'background-clip': 'node',
              'background-image-containment': 'over',
            }),
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': palette.edge,
        'target-arrow-color': palette.edge,
        // haystack edges cannot carry arrows; in a large graph the layout direction shows the flow
        'target-arrow-shape': large ? 'none' : 'triangle',
        'arrow-scale': 0.9,
        // haystack skips the parallel-edge bookkeeping every other curve style does per edge
        'curve-style': large ? 'haystack' : 'bezier',
        'haystack-radius': 0,
        label: large ? '' : 'data(label)',
        'font-family': font,
        'font-size': FONT_SIZE - 2,
        color: theme.colors.text.secondary,
        'text-background-color': palette.canvasBackground,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 8,
      },
    },
    {
      selector: 'edge.flow-blocked',
      style: { 'line-color': palette.edgeBlocked, 'target-arrow-color': palette.edgeBlocked, 'line-style': 'dashed' },
    },
    { selector: 'node.focus', style: { 'border-width': 3, 'border-color': theme.colors.primary.main } },
    // click highlight: the selection, its downstream impact and the path to the root cause
    { selector: '.dimmed', style: { opacity: 0.18 } },
    {
      selector: 'node.selected',
      style: {
        'border-width': 3,
        'border-color': palette.canvasText,
        'underlay-color': palette.canvasText,
        'underlay-padding': 6,
        'underlay-opacity': 0.25,
        'underlay-shape': 'round-rectangle',
      },
    },
    {
      selector: 'node.blast',
      style: { 'underlay-color': palette.impact, 'underlay-padding': 6, 'underlay-opacity': 0.55, 'underlay-shape': 'round-rectangle' },
    },
    {
      selector: 'node.cause',
      style: { 'underlay-color': palette.cause, 'underlay-padding': 6, 'underlay-opacity': 0.55, 'underlay-shape': 'round-rectangle' },
    },
    {
      selector: 'node.root-cause',
      style: {
        'border-width': 3,
        'border-color': palette.cause,
        'underlay-color': palette.cause,
        'underlay-padding': 9,
        'underlay-opacity': 0.7,
        'underlay-shape': 'round-rectangle',
      },
    },
    {
      selector: 'edge.blast',
      style: { width: 3, 'line-color': palette.impact, 'target-arrow-color': palette.impact, 'z-index': 10 },
    },
    {
      selector: 'edge.cause',
      style: { width: 3.5, 'line-color': palette.cause, 'target-arrow-color': palette.cause, 'z-index': 11 },
    },
    {
      selector: 'edge.upstream',
      style: { width: 2, 'line-color': palette.canvasText, 'target-arrow-color': palette.canvasText, opacity: 0.7 },
    }
  );
  return sheet;
}
