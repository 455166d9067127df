import { describe, expect, it } from 'vitest';
import { EMPHASIS } from './draw-overview';
import { exportNodesOf, exportTitle, flowEdgesOf, flowNodesOf, overviewScene } from './explorer-elements';
import type { ShownScene } from './explorer-elements';
import { laidOut, testGraph, testLineage } from './explorer-test-graph';
import { KIND_LOOK } from './kind-look';
import { SUBJECT_STATE_WORDS } from './node-status';
import type { SubjectState } from './node-status';
import { lineageOf } from './shown-nodes';

const shown = new Set([2, 3, 4, 5, 6]);
const current = laidOut(shown);
const states: SubjectState[] = Array.from(current.nodes, (index) => (index === 4 ? 'failed' : 'none'));
/** Node 3 selected: 2 and 6 upstream, 4 and 5 downstream. */
const scene: ShownScene = { current, graph: testGraph, states, selection: lineageOf(testLineage, 3) };
const local = (index: number) => current.localOf[index]!;

describe('what the explorer draws', () => {
  it('emphasises the selection, highlights its lineage and marks failed subjects in the overview', () => {
    const overview = overviewScene(scene);
    expect(overview.emphasis[local(3)]).toBe(EMPHASIS.selected);
    expect(overview.emphasis[local(6)]).toBe(EMPHASIS.highlighted);
    expect(overview.emphasis[local(5)]).toBe(EMPHASIS.highlighted);
    expect(overview.failed[local(4)]).toBe(1);
    expect(overview.failed[local(3)]).toBe(0);
  });

  it('dims what is unrelated to the selection, and nothing without one', () => {
    const selectedSix = overviewScene({ ...scene, selection: lineageOf(testLineage, 6) });
    expect(selectedSix.emphasis[local(6)]).toBe(EMPHASIS.selected);
    expect(selectedSix.emphasis[local(3)]).toBe(EMPHASIS.highlighted);
    const selectedFive = overviewScene({ ...scene, selection: lineageOf(testLineage, 5) });
    expect(selectedFive.emphasis[local(6)]).toBe(EMPHASIS.highlighted);
    const none = overviewScene({ ...scene, selection: null });
    expect(Array.from(none.emphasis).every((value) => value === EMPHASIS.normal)).toBe(true);
  });

  it('gives React Flow one tab stop, the relation, hidden neighbour counts and the failed mark', () => {
    const nodes = flowNodesOf(scene, Array.from(current.nodes.keys()), testLineage, shown, 5);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    expect(nodes.filter((node) => node.domAttributes?.tabIndex === 0).map((node) => node.id)).toEqual(['n5']);
    expect(byId.get('n3')!.className).toBe('relation-selected');
    expect(byId.get('n4')!.className).toBe('relation-downstream subject-failed');
    // 2's upstream neighbour 1 is not shown.
    expect(byId.get('n2')!.data.hidden).toBe(1);
    expect(byId.get('n4')!.data.hidden).toBe(0);
    expect(byId.get('n2')!.position).toEqual({ x: current.layout.x[local(2)], y: current.layout.y[local(2)] });
  });

  it('renders only the nodes asked for in detail', () => {
    expect(flowNodesOf(scene, [local(4)], testLineage, shown, 5).map((node) => node.id)).toEqual(['n4']);
  });

  it('draws edges strong inside the lineage and dimmed where an end is unrelated', () => {
    const edges = flowEdgesOf(current, testGraph, overviewScene(scene).emphasis);
    const byEnds = new Map(edges.map((edge) => [`${edge.source}>${edge.target}`, edge.className]));
    expect(byEnds.get('n2>n3')).toBe('lineage-edge-strong');
    expect(byEnds.get('n6>n2')).toBe('lineage-edge-strong');
    expect(edges).toHaveLength(4);
    const emphasis = new Uint8Array(current.nodes.length).fill(EMPHASIS.normal);
    emphasis[local(6)] = EMPHASIS.dimmed;
    emphasis[local(2)] = EMPHASIS.selected;
    const dimmed = new Map(flowEdgesOf(current, testGraph, emphasis).map((edge) => [`${edge.source}>${edge.target}`, edge.className]));
    expect(dimmed.get('n6>n2')).toBe('lineage-edge-dimmed');
    expect(dimmed.get('n2>n3')).toBe('');
  });

  it('exports each node with its kind, version and subject state, emphasised as on screen', () => {
    const exported = exportNodesOf(scene, overviewScene(scene).emphasis);
    expect(exported[local(4)]).toEqual({ name: 'model 4', kind: 'model', detail: `${KIND_LOOK.model.word} · v2.3 · ${SUBJECT_STATE_WORDS.failed}`, emphasis: 'highlighted', failed: true });
    expect(exported[local(5)]!.detail).toBe(KIND_LOOK.deployment.word);
    expect(exported[local(3)]!.emphasis).toBe('selected');
    expect(exportTitle(testGraph)).toBe('Lineage: lineage.json');
    expect(exportTitle({ ...testGraph, sourceFiles: [] })).toBe('Lineage: the open bundle');
  });
});
