import type { LineageNodeKind } from '../../../shared/lineage/lineage-graph';

/**
 * How each node kind is drawn: a colour and an icon, always beside the kind's name, so the kind
 * never rests on colour alone. The hues follow the Okabe–Ito palette (distinguishable with the
 * common colour-vision deficiencies) and read on light and dark backgrounds. Icons are 16×16 SVG
 * paths, shared by the view and the SVG/PNG export.
 */
export interface KindLook {
  word: string;
  colour: string;
  icon: string;
}

export const KIND_LOOK: Record<LineageNodeKind, KindLook> = {
  source: { word: 'source', colour: '#0072b2', icon: 'M2 4a6 2.5 0 0 1 12 0v8a6 2.5 0 0 1-12 0zM3.5 4a4.5 1.4 0 0 0 9 0 4.5 1.4 0 0 0-9 0z' },
  dataset: { word: 'dataset', colour: '#3a9bd9', icon: 'M2 2h12v12H2zM3.5 6v2.5h4V6zm5.5 0v2.5h3.5V6zM3.5 10v2.5h4V10zm5.5 0v2.5h3.5V10z' },
  transform: { word: 'transform', colour: '#c98a00', icon: 'M1 4.5h9v-3l4.5 4-4.5 4v-3H1zM15 11.5H6v3l-4.5-4 4.5-4v3h9z' },
  features: { word: 'features', colour: '#009e73', icon: 'M2 9h3v5H2zM6.5 5h3v9h-3zM11 2h3v12h-3z' },
  training: { word: 'training', colour: '#cc79a7', icon: 'M8 2a6 6 0 1 0 6 6h-2a4 4 0 1 1-4-4v2.5L11.5 3 8 0z' },
  model: { word: 'model', colour: '#d55e00', icon: 'M8 1l6.5 3.5v7L8 15l-6.5-3.5v-7zM8 3.3L3.5 5.7 8 8.1l4.5-2.4z' },
  deployment: { word: 'deployment', colour: '#7b52ae', icon: 'M8 1l5 5h-3v5H6V6H3zM2 13h12v2H2z' },
  other: { word: 'other', colour: '#6b7280', icon: 'M8 2a6 6 0 1 1 0 12A6 6 0 0 1 8 2zm0 2.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z' },
};
