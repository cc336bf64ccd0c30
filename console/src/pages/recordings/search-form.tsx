import { useState, type FormEvent } from 'react';
import type { SearchCriteria, SearchFilter } from '../../api/recordings';

/** Each filter of the search API with its label and a hint the field shows. */
const FIELDS: { name: SearchFilter; label: string; hint?: string; type?: string }[] = [
  { name: 'callerPhoneNumber', label: 'Caller number', hint: '* matches any digits: +1617*, *0431' },
  { name: 'dialedPhoneNumber', label: 'Dialed number', hint: '* matches any digits' },
  { name: 'startTime', label: 'From', type: 'datetime-local', hint: 'calls still running then or later' },
  { name: 'endTime', label: 'To', type: 'datetime-local', hint: 'calls started then or earlier' },
  { name: 'agentId', label: 'Agent id' },
  { name: 'userName', label: 'Agent user name' },
  { name: 'partition', label: 'Partition', hint: 'e.g. /sales' },
  { name: 'label', label: 'Label' },
  { name: 'callUuid', label: 'CallUUID' },
  { name: 'connId', label: 'ConnID' },
  { name: 'callType', label: 'Call type', hint: 'e.g. Inbound' },
];

/** Local date-time of an input (no zone) ⇄ the ISO-8601 instant the API takes. */
export function toApiTime(local: string): string {
  return local ? new Date(local).toISOString() : '';
}

export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

/** The filter form; times are entered in local time and sent as UTC instants. */
export function SearchForm({ initial, onSearch }: { initial: SearchCriteria; onSearch(criteria: SearchCriteria): void }) {
  const [values, setValues] = useState<SearchCriteria>(() => ({
    ...initial,
    startTime: toLocalInput(initial.startTime),
    endTime: toLocalInput(initial.endTime),
  }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const criteria: SearchCriteria = {};
    for (const field of FIELDS) {
      const value = values[field.name]?.trim();
      if (value) criteria[field.name] = field.type === 'datetime-local' ? toApiTime(value) : value;
    }
    onSearch(criteria);
  }

  return (
    <form className="search-form" role="search" aria-label="Recordings" onSubmit={submit}>
      <div className="fields">
        {FIELDS.map((field) => (
          <div className="field" key={field.name}>
            <label htmlFor={`f-${field.name}`}>{field.label}</label>
            <input
              id={`f-${field.name}`}
              name={field.name}
              type={field.type ?? 'text'}
              value={values[field.name] ?? ''}
              aria-describedby={field.hint ? `h-${field.name}` : undefined}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
            {field.hint ? (
              <small id={`h-${field.name}`} className="hint">
                {field.hint}
              </small>
            ) : null}
          </div>
        ))}
      </div>
      <div className="actions">
        <button type="submit">Search</button>
        <button type="button" className="secondary" onClick={() => setValues({})}>
          Clear
        </button>
      </div>
    </form>
  );
}
