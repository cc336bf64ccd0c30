// A GWS desktop's notification client, run as its own Node process: the official CometD JavaScript client
// (npm `cometd`) on Node through `cometd-nodejs-client`, both ES modules (hence a child process next to the
// CommonJS test runner). Argument: JSON {url, authorization?, cookie?, csrfToken?, transport, channels}.
// Writes one JSON line per thing that happens (handshake, subscribe answers, messages, connect state);
// reads commands on stdin: {"subscribe": channel}, {"unsubscribe": channel}, "disconnect".
import process from 'node:process';
import { createInterface } from 'node:readline';
import { adapt } from 'cometd-nodejs-client';
import { CometD } from 'cometd';
import * as ws from 'ws';

const options = JSON.parse(process.argv[2]);
const headers = {
  ...(options.authorization ? { Authorization: options.authorization } : {}),
  ...(options.cookie ? { Cookie: options.cookie } : {}),
  ...(options.csrfToken ? { 'X-CSRF-TOKEN': options.csrfToken } : {}),
};
adapt();
// The browser WebSocket API cannot set headers; a desktop (e.g. the GWS .NET library) sends its Basic
// credentials on the upgrade request, so the Node WebSocket is given them the same way.
globalThis.window.WebSocket = class extends ws.WebSocket {
  constructor(url, protocols) {
    super(url, protocols ?? [], { headers });
  }
};

const emit = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const cometd = new CometD();
if (options.transport === 'long-polling') cometd.unregisterTransport('websocket');
if (options.transport === 'websocket') {
  cometd.unregisterTransport('long-polling');
  cometd.unregisterTransport('callback-polling');
}
cometd.configure({ url: options.url, logLevel: 'warn', requestHeaders: headers, maxBackoff: 1000 });

const subscriptions = new Map();
const subscribe = (channel) => {
  subscriptions.set(
    channel,
    cometd.subscribe(
      channel,
      (message) => emit({ event: 'message', channel: message.channel, data: message.data }),
      (reply) => emit({ event: 'subscribe', channel, successful: reply.successful, error: reply.error }),
    ),
  );
};

cometd.addListener('/meta/connect', (reply) => emit({ event: 'connect', successful: reply.successful, transport: cometd.getTransport()?.type }));
cometd.handshake((reply) => {
  emit({ event: 'handshake', successful: reply.successful, error: reply.error, clientId: reply.clientId, transport: cometd.getTransport()?.type, advice: reply.advice });
  if (reply.successful) for (const channel of options.channels ?? []) subscribe(channel);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (command === 'disconnect') {
    cometd.disconnect(() => {
      emit({ event: 'disconnected' });
      process.exit(0);
    });
  } else if (command.subscribe) {
    subscribe(command.subscribe);
  } else if (command.unsubscribe) {
    cometd.unsubscribe(subscriptions.get(command.unsubscribe), (reply) => emit({ event: 'unsubscribe', channel: command.unsubscribe, successful: reply.successful }));
  }
});
