import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { SEARCH_FILTERS, searchRecordings, type SearchCriteria } from '../../api/recordings';
import { ContactCenterPicker } from '../../components/contact-center-picker';
import { ErrorMessage } from '../../components/error-message';
import { useAsync } from '../../components/use-async';
import { useMe } from '../../session/session';
import { usePageTitle } from '../../shell/page-title';
import { SearchForm } from './search-form';
import { SearchResults } from './search-results';

const PAGE_SIZES = [25, 50, 100];

/**
 * Recording search. The filters, the page size and the page token live in the URL, so a search can be
 * bookmarked, reloaded and left with Back; earlier page tokens are kept to page backwards.
 */
export function SearchPage() {
  usePageTitle('Search recordings');
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const criteria = criteriaOf(params);
  const limit = Number(params.get('limit')) || PAGE_SIZES[0];
  const pageToken = params.get('pageToken') ?? undefined;
  const ccid = params.get('ccid') ?? undefined;
  const [previousTokens, setPreviousTokens] = useState<(string | undefined)[]>([]);
  const hasCriteria = Object.keys(criteria).length > 0;
  const needsCcid = me.kind === 'ops' && !ccid;
  const key = params.toString();

  const results = useAsync(
    () => (hasCriteria && !needsCcid ? searchRecordings(criteria, { limit, pageToken, ccid }) : Promise.resolve(undefined)),
    [key],
  );

  const update = useCallback(
    (changes: Record<string, string | undefined>, keepPages = false) => {
      if (!keepPages) setPreviousTokens((tokens) => (tokens.length ? [] : tokens));
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      });
    },
    [setParams],
  );

  function search(next: SearchCriteria) {
    const changes: Record<string, string | undefined> = { pageToken: undefined };
    for (const name of SEARCH_FILTERS) changes[name] = next[name];
    update(changes);
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Search recordings</h1>
      {me.kind === 'ops' ? <ContactCenterPicker value={ccid} onChange={(id) => update({ ccid: id, pageToken: undefined })} /> : null}
      <SearchForm key={JSON.stringify(criteria)} initial={criteria} onSearch={search} />
      <div className="field inline">
        <label htmlFor="limit">Results per page</label>
        <select id="limit" value={limit} onChange={(e) => update({ limit: e.target.value, pageToken: undefined })}>
          {PAGE_SIZES.map((size) => (
            <option key={size}>{size}</option>
          ))}
        </select>
      </div>
      {!hasCriteria ? <p className="hint">Give at least one filter, then Search.</p> : null}
      <ErrorMessage message={results.error} />
      {results.loading && hasCriteria ? <p role="status">Searching…</p> : null}
      {results.data ? (
        <SearchResults
          page={results.data}
          ccid={ccid}
          canGoBack={previousTokens.length > 0}
          onNext={() => {
            setPreviousTokens([...previousTokens, pageToken]);
            update({ pageToken: results.data?.nextPageToken }, true);
          }}
          onPrevious={() => {
            const previous = previousTokens[previousTokens.length - 1];
            setPreviousTokens(previousTokens.slice(0, -1));
            update({ pageToken: previous }, true);
          }}
        />
      ) : null}
    </section>
  );
}

function criteriaOf(params: URLSearchParams): SearchCriteria {
  const criteria: SearchCriteria = {};
  for (const name of SEARCH_FILTERS) {
    const value = params.get(name);
    if (value) criteria[name] = value;
  }
  return criteria;
}
