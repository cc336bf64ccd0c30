import { Migration } from './migration';

export const m001ContactCenters: Migration = {
  version: 1,
  name: 'contact centers and settings',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.contact_centers (
       id uuid PRIMARY KEY, name text, created_at timestamp, features set<text>)`,
    `CREATE TABLE IF NOT EXISTS {ks}.contact_center_settings (
       ccid uuid, settings_group text, value text, PRIMARY KEY ((ccid), settings_group))`,
  ],
};
