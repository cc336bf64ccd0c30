/** One schema version: idempotent CQL statements; `{ks}` stands for the keyspace. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}
