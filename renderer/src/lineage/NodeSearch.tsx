import { useId, useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import { KIND_LOOK } from './kind-look';
import { searchIndexOf, searchNodes } from './node-search';
import { OutsideText } from '../common/OutsideText';

const MAX_OPTIONS = 20;

/** "Find a node": an ARIA combobox over the names (and ids) of every node in the lineage. */
export function NodeSearch({ nodes, onPick }: { nodes: readonly LineageNode[]; onPick(index: number): void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputId = useId();
  const listId = useId();
  const index = useMemo(() => searchIndexOf(nodes), [nodes]);
  const matches = useMemo(() => searchNodes(index, query, MAX_OPTIONS), [index, query]);
  const expanded = open && matches.length > 0;

  const pick = (node: number) => {
    setQuery(nodes[node]?.name ?? '');
    setOpen(false);
    onPick(node);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (matches.length > 0) setActive((current) => (current + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (event.key === 'Enter') {
      const node = matches[active];
      if (expanded && node !== undefined) {
        event.preventDefault();
        pick(node);
      }
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  return (
    <div className="field inline lineage-search">
      <label htmlFor={inputId}>Find a node</label>
      <div className="combobox">
        <input
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          placeholder="name or id"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded ? `${listId}-${active}` : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <ul id={listId} role="listbox" aria-label="Matching nodes" hidden={!expanded}>
          {expanded &&
            matches.map((node, position) => {
              const lineageNode = nodes[node]!;
              return (
                <li
                  key={node}
                  id={`${listId}-${position}`}
                  role="option"
                  aria-selected={position === active}
                  // Chosen on mouse down, before the input's blur closes the list.
                  onMouseDown={(event) => {
                    event.preventDefault();
                    pick(node);
                  }}
                >
                  <span className="lineage-option-name"><OutsideText text={lineageNode.name} /></span> <span className="muted">{KIND_LOOK[lineageNode.kind].word}</span>
                  {lineageNode.name !== lineageNode.id && <span className="muted mono"> <OutsideText text={lineageNode.id} /></span>}
                </li>
              );
            })}
        </ul>
      </div>
    </div>
  );
}
