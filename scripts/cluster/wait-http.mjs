/* global process, fetch, AbortSignal, setTimeout */
// Waits until a URL answers 200 (or the deadline passes: exit 1 with the last answer). Usage: wait-http.mjs URL [seconds]
const [url, seconds = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
let last = 'no answer';
while (Date.now() < deadline) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (response.status === 200) process.exit(0);
    last = `${response.status} ${(await response.text()).slice(0, 400)}`;
  } catch (err) {
    last = err.message;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
process.stderr.write(`${url} not ready after ${seconds} s: ${last}\n`);
process.exit(1);
