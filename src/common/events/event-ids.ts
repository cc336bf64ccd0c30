import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * An event (and webhook message) id that sorts in the order this process created its ids (time, then a
 * counter), with a random tail so that ids of two nodes never collide: `msg_<13-digit ms><6-digit counter><random>`.
 */
export function newEventId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else sequence++;
  return `msg_${String(lastMs).padStart(13, '0')}${String(sequence).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
}
