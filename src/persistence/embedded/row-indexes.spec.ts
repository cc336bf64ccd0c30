import { DatabaseSync, StatementSync } from 'node:sqlite';
import { INDEX_SCHEMA, RowIndexes } from './row-indexes';

/** Every query a walk issues is planned as a primary-key range: no table scan, no sort of its own. */
describe('RowIndexes query plans', () => {
  it('walks and ranges by primary key, in index order', () => {
    const sqlite = new DatabaseSync(':memory:');
    sqlite.exec(INDEX_SCHEMA);
    const issued: string[] = [];
    const indexes = new RowIndexes(sqlite, (sql): StatementSync => {
      issued.push(sql);
      return sqlite.prepare(sql);
    });
    indexes.define({ name: 'i', collection: 'c', version: 1, entriesOf: (key) => [{ term: 't', sort: Number(key) }] }, () => Array.from({ length: 300 }, (_, n): [string, Record<string, unknown>] => [String(n), {}]));
    issued.length = 0;
    expect([...indexes.scanDescending('i', 't', { max: 250, min: 10 })].map((e) => e.sort)).toEqual(Array.from({ length: 241 }, (_, n) => 250 - n));
    expect(indexes.rangeAscending('i', 't', 5, 8, 10).map((e) => e.sort)).toEqual([5, 6, 7]);
    expect(issued.length).toBeGreaterThan(1);
    for (const sql of new Set(issued)) {
      const params = (sql.match(/\?/g) ?? []).map((_, n) => n);
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/^SEARCH index_entries USING PRIMARY KEY \(name=\? AND term=\?/);
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    }
  });
});
