/** `/api/v2/ops/contact-centers/{ccid}`: every per-contact-center ops path starts here. */
export function ccPath(ccid: string): string {
  return `/api/v2/ops/contact-centers/${encodeURIComponent(ccid)}`;
}
