import { useId } from 'react';

export interface StatusChoice<T extends string> {
  value: T;
  label: string;
}

/** A table's filter row: free text over the rows, and one status at a time. */
export function TableFilters<T extends string>(props: {
  label: string;
  placeholder: string;
  text: string;
  onText(text: string): void;
  choices: readonly StatusChoice<T>[];
  status: T;
  onStatus(status: T): void;
}) {
  const filterId = useId();
  return (
    <div className="table-controls">
      <div className="field inline">
        <label htmlFor={filterId}>{props.label}</label>
        <input id={filterId} type="search" value={props.text} placeholder={props.placeholder} onChange={(event) => props.onText(event.target.value)} />
      </div>
      <fieldset className="segmented">
        <legend>Status</legend>
        {props.choices.map((choice) => (
          <label key={choice.value}>
            <input type="radio" name={`${filterId}-status`} value={choice.value} checked={props.status === choice.value} onChange={() => props.onStatus(choice.value)} />
            {choice.label}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
