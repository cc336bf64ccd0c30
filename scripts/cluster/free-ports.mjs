/* global process */
// Prints N distinct free loopback TCP ports, one per line (held open together so none is handed out twice).
import { createServer } from 'node:net';

const count = Number(process.argv[2] ?? 1);
const servers = await Promise.all(
  Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })),
);
for (const server of servers) process.stdout.write(`${server.address().port}\n`);
await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
