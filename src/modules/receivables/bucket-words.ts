import type { AgingBucket } from './aging.ts';

/** An aging bucket in words: "Not due", "1–30 days", "Over 90". */
export function bucketLabel(bucket: AgingBucket): string {
  if (bucket.from === null) return 'Not due';
  if (bucket.to === null) return `Over ${bucket.from - 1}`;
  return `${bucket.from}–${bucket.to} days`;
}
