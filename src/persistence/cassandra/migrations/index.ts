import { Migration } from './migration';
import { m001ContactCenters } from './001-contact-centers';
import { m004Recordings } from './004-recordings';

export type { Migration } from './migration';

/** Every schema version in order. Append new files; never edit an applied one. */
export const MIGRATIONS: Migration[] = [m001ContactCenters, m004Recordings];
