import { css } from '@emotion/css';
import cytoscape from 'cytoscape';
import cytoscapeDagre from 'cytoscape-dagre';
import React, { useEffect, useRef } from 'react';
import { LayoutChoice } from '../layout/chooseLayout';
import { layeredLayout } from '../layout/layeredLayout';
import { stretchToAspect } from '../layout/stretchToAspect';
import { DrawModel } from '../render/drawModel';
import { edgeLabelWidth } from '../render/nodeSize';
import { HighlightClass } from '../render/highlightClasses';

let dagreRegistered = false;
function ensureDagre(): void {
  if (!dagreRegistered) {
    cytoscape.use(cytoscapeDagre);
    dagreRegistered = true;
  }
}

const HIGHLIGHT_CLASSES = 'selected root-cause cause blast upstream dimmed';
/** Fitting a 4-dataset graph into a wall-sized panel would draw giant boxes. */
const MAX_FIT_ZOOM = 1.6;
const FIT_PADDING = 24;
/** Room for the notices / "N hidden" marker (top) and the legend (bottom) that float over the canvas. */
const FIT_PADDING_TOP = 44;
const FIT_PADDING_BOTTOM = 56;
/** Below this zoom labels are unreadable; a focus dataset is then zoomed to instead. */
const READABLE_ZOOM = 0.6;

interface Props {
  model: DrawModel;
  stylesheet: cytoscape.StylesheetJson;
  layout: LayoutChoice;
  /** Many elements: cheaper rendering while panning and zooming. */
  large: boolean;
  highlight: Map<string, HighlightClass> | null;
  focus?: string;
  width: number;
  height: number;
  onSelect: (id: string | null) => void;
  /** A click on a job (pipeline) node. */
  onJob?: (id: string) => void;
}

/**
 * The cytoscape canvas: the only part of the panel that touches the DOM graph library. Topology
 * changes re-run the layout; a refresh with the same datasets and edges only restyles, so a wall
 * screen does not jump every refresh interval.
 */
export function LineageCanvas({ model, stylesheet, layout, large, highlight, focus, width, height, onSelect, onJob }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const topologyRef = useRef<string>('');
  const autoFitRef = useRef(true);
  const highlightedRef = useRef<string[]>([]);
  const fittingRef = useRef(false);
  /** Node bounds known from the layered layout, so fitting needs no cytoscape measuring. */
  const boundsRef = useRef<Bounds | undefined>(undefined);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onJobRef = useRef(onJob);
  onJobRef.current = onJob;

  // create once; `large` changes the renderer options, so it recreates
  useEffect(() => {
    const container = containerRef.current;
    if (!container) {
      return;
    }
    ensureDagre();
    const cy = cytoscape({
      container,
      style: stylesheet,
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      motionBlur: false,
      pixelRatio: large ? 1 : 'auto',
    });
    cy.on('tap', 'node.dataset', (event) => onSelectRef.current(event.target.id()));
    cy.on('tap', 'node.pipeline', (event) => onJobRef.current?.(event.target.id()));
    cy.on('tap', (event) => {
      if (event.target === cy) {
        onSelectRef.current(null);
      }
    });
    cy.on('mouseover', 'node.dataset, node.recentre', () => (container.style.cursor = 'pointer'));
    cy.on('mouseout', 'node.dataset, node.recentre', () => (container.style.cursor = ''));
    // once the user pans or zooms, resizes and refreshes keep their view; our own fits do not count
    cy.on('viewport', () => {
      if (!fittingRef.current) {
        autoFitRef.current = false;
      }
    });
    cyRef.current = cy;
    topologyRef.current = '';
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
    // the stylesheet is applied by its own effect, so it is not a reason to recreate the instance
  }, [large]);

  useEffect(() => {
    cyRef.current?.style(stylesheet);
  }, [stylesheet]);

  const fit = () => {
    const cy = cyRef.current;
    if (!cy) {
      return;
    }
    fittingRef.current = true;
    try {
      fitView(cy, focus, boundsRef.current);
    } finally {
      fittingRef.current = false;
    }
  };

  useEffect(() => {
    const cy = cyRef.current;
    const container = containerRef.current;
    if (!cy || !container) {
      return;
    }
    const started = performance.now();
    container.dataset.lineageReady = 'false';
    const topology = topologyKey(model, layout);
    if (topology === topologyRef.current) {
      cy.batch(() => {
        for (const node of model.nodes) {
          const element = cy.getElementById(node.id);
          element.data('label', node.label);
          element.classes(nodeClasses(node.kind, node.state, focus === node.id, node.nodeId));
        }
        for (const edge of model.edges) {
          cy.getElementById(edge.id).classes(edgeClasses(edge.blocked, edge.label));
        }
      });
    } else {
      topologyRef.current = topology;
      const positions =
        layout.engine === 'layered'
          ? stretchToAspect(
              layeredLayout(model.nodes, model.edges, { direction: layout.direction, nodeSep: large ? 8 : 14, rankSep: rankSep(model, large) }),
              layout.direction,
              (cy.width() - 2 * FIT_PADDING) / Math.max(1, cy.height() - FIT_PADDING_TOP - FIT_PADDING_BOTTOM)
            )
          : undefined;
      highlightedRef.current = [];
      cy.batch(() => {
        cy.elements().remove();
        cy.add(toElements(model, positions, focus));
      });
      if (layout.engine === 'dagre') {
        const dagreOptions: cytoscapeDagre.DagreLayoutOptions = {
          name: 'dagre',
          rankDir: layout.direction,
          nodeSep: 18,
          rankSep: rankSep(model, large),
          fit: false,
          animate: false,
        };
        // cytoscape's LayoutOptions union does not know extension layouts
        cy.layout(dagreOptions as unknown as cytoscape.LayoutOptions).run();
      }
      autoFitRef.current = true;
      boundsRef.current = positions ? boundsOf(model, positions) : undefined;
      fit();
    }
    cy.one('render', () => {
      requestAnimationFrame(() => {
        container.dataset.lineageReady = 'true';
        container.dataset.renderMs = String(Math.round(performance.now() - started));
      });
    });
    cy.forceRender();
  }, [model, layout, focus, large]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) {
      return;
    }
    const previous = highlightedRef.current;
    if (previous.length === 0 && !highlight) {
      // restyling thousands of elements for nothing costs hundreds of ms on a big graph
      return;
    }
    cy.batch(() => {
      for (const id of previous) {
        cy.getElementById(id).removeClass(HIGHLIGHT_CLASSES);
      }
      highlight?.forEach((cls, id) => cy.getElementById(id).addClass(cls));
    });
    highlightedRef.current = highlight ? [...highlight.keys()] : [];
  }, [highlight, model]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) {
      return;
    }
    cy.resize();
    if (autoFitRef.current) {
      fit();
    }
    // only a size change refits here; data changes fit in the effect above
  }, [width, height]);

  return <div ref={containerRef} className={containerStyle} data-testid="lineage-canvas" />;
}

const containerStyle = css({ position: 'absolute', inset: 0 });

function rankSep(model: DrawModel, large: boolean): number {
  // pipeline names on edges need room between the layers (large graphs do not draw them)
  const widest = large ? 0 : model.edges.reduce((max, e) => Math.max(max, edgeLabelWidth(e.label)), 0);
  return Math.max(64, widest + 24);
}

interface Bounds {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

function boundsOf(model: DrawModel, positions: Map<string, { x: number; y: number }>): Bounds | undefined {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const node of model.nodes) {
    const p = positions.get(node.id);
    if (p) {
      x1 = Math.min(x1, p.x - node.width / 2);
      x2 = Math.max(x2, p.x + node.width / 2);
      y1 = Math.min(y1, p.y - node.height / 2);
      y2 = Math.max(y2, p.y + node.height / 2);
    }
  }
  return x1 === Infinity ? undefined : { x1, y1, w: x2 - x1, h: y2 - y1 };
}

function fitView(cy: cytoscape.Core, focus: string | undefined, known: Bounds | undefined): void {
  if (cy.nodes().length === 0) {
    return;
  }
  // cy.fit() measures every label and edge to get the bounding box: seconds for thousands of
  // elements. Node boxes are what matters for framing, and the layered layout already knows them.
  const box = known ?? cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false, includeEdges: false });
  const width = Math.max(1, cy.width() - 2 * FIT_PADDING);
  const height = Math.max(1, cy.height() - FIT_PADDING_TOP - FIT_PADDING_BOTTOM);
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(cy.minZoom(), Math.min(width / Math.max(box.w, 1), height / Math.max(box.h, 1))));
  cy.viewport({
    zoom,
    pan: {
      x: cy.width() / 2 - zoom * (box.x1 + box.w / 2),
      y: FIT_PADDING_TOP + height / 2 - zoom * (box.y1 + box.h / 2),
    },
  });
  const focusNode = focus ? cy.getElementById(focus) : undefined;
  if (focusNode && focusNode.nonempty() && zoom < READABLE_ZOOM) {
    const p = focusNode.position();
    cy.viewport({ zoom: 1, pan: { x: cy.width() / 2 - p.x, y: cy.height() / 2 - p.y } });
  }
}

function topologyKey(model: DrawModel, layout: LayoutChoice): string {
  return `${layout.engine}|${layout.direction}|${model.nodes.map((n) => `${n.id}:${n.width}`).join(',')}|${model.edges
    .map((e) => e.id)
    .join(',')}`;
}

function nodeClasses(kind: string, state: string | undefined, isFocus: boolean, nodeId: string | undefined): string {
  // `recentre`: a Marquez node a click can re-centre the lineage on
  return [kind, state ? `state-${state}` : '', isFocus ? 'focus' : '', nodeId ? 'recentre' : ''].filter(Boolean).join(' ');
}

function edgeClasses(blocked: boolean, label: string): string {
  return [blocked ? 'flow-blocked' : '', label ? 'labelled' : ''].filter(Boolean).join(' ');
}

function toElements(
  model: DrawModel,
  positions: Map<string, { x: number; y: number }> | undefined,
  focus?: string
): cytoscape.ElementDefinition[] {
  const elements: cytoscape.ElementDefinition[] = [];
  for (const node of model.nodes) {
    const position = positions?.get(node.id);
    elements.push({
      group: 'nodes',
      data: { id: node.id, label: node.label, width: node.width, height: node.height, textWidth: node.width - 14 },
      classes: nodeClasses(node.kind, node.state, focus === node.id, node.nodeId),
      ...(position ? { position: { ...position } } : {}),
    });
  }
  for (const edge of model.edges) {
    elements.push({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label },
      classes: edgeClasses(edge.blocked, edge.label),
    });
  }
  return elements;
}
