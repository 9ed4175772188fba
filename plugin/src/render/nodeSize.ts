export const NODE_HEIGHT = 34;
export const PIPELINE_HEIGHT = 22;
export const FONT_SIZE = 12;

/**
 * Box size from the label: cytoscape cannot size a node to its text, and the layout needs sizes up
 * front. 0.6 em per character fits Inter/Helvetica at this size; long names are ellipsised.
 */
export function datasetNodeWidth(label: string): number {
  return clamp(Math.round(label.length * FONT_SIZE * 0.6 + 28), 96, 240);
}

export function pipelineNodeWidth(label: string): number {
  return clamp(Math.round(label.length * (FONT_SIZE - 2) * 0.62 + 24), 60, 220);
}

/** Room between layers so pipeline names written on edges fit between the boxes. */
export function edgeLabelWidth(label: string): number {
  return label ? Math.round(label.length * (FONT_SIZE - 2) * 0.62 + 24) : 0;
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}
