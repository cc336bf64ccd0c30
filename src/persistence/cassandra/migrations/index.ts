import { Migration } from './migration';
import { m001ContactCenters } from './001-contact-centers';
import { m002Identity } from './002-identity';
import { m003Crypto } from './003-crypto';
import { m004Recordings } from './004-recordings';
import { m005Releases } from './005-releases';
import { m006ScreenRecordings } from './006-screen-recordings';
import { m007RecordingStamps } from './007-recording-stamps';
import { m008TelephonyResources } from './008-telephony-resources';
import { m009PendingMediaDeletes } from './009-pending-media-deletes';
import { m012MediaClaims } from './012-media-claims';
import { m010Lifecycle } from './010-lifecycle';
import { m011Webhooks } from './011-webhooks';
import { m013ExportJobs } from './013-export-jobs';

export type { Migration } from './migration';

/** Every schema version in order. Append new files; never edit an applied one. */
export const MIGRATIONS: Migration[] = [m001ContactCenters, m002Identity, m003Crypto, m004Recordings, m005Releases, m006ScreenRecordings, m007RecordingStamps, m008TelephonyResources, m009PendingMediaDeletes, m010Lifecycle, m011Webhooks, m012MediaClaims, m013ExportJobs];
