import request from 'supertest';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { CometdDesktop } from '../support/cometd-desktop';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { createDesk, uniqueDn } from '../support/telephony-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Two RWS nodes on the shared Cassandra + WebDAV behind a "load balancer" (a TCP relay): a desktop's CometD
 * client that is moved from one node to the other is told its client is unknown there, handshakes again with
 * the official client's own logic, and receives that node's messages.
 */
describe.each(['long-polling', 'websocket'] as const)('CometD on a cluster (%s)', (transport) => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let balancer: TcpProxy;
  let agent: TestUser;
  let ccid: string;
  let desktop: CometdDesktop;

  beforeAll(async () => {
    [nodeA, nodeB] = await Promise.all([startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav' })), startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav' }))]);
    ccid = await createContactCenter(nodeA);
    await request(nodeA.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', nodeA.opsAuth).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    agent = await createUser(nodeA, ccid, 'cluster-desk', { roles: ['agent'], agentId: 'a-cluster' });
    balancer = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(nodeA.url).port) });
  });
  afterAll(async () => {
    await desktop?.disconnect();
    await balancer?.close();
    await Promise.all([nodeA?.close(), nodeB?.close()]);
  });

  it('re-handshakes on the node it is moved to and gets that node’s messages', async () => {
    desktop = new CometdDesktop({ url: `http://127.0.0.1:${balancer.port}/api/v2/notifications`, transport, authorization: agent.basic, channels: ['/v2/me/calls'] });
    const first = await desktop.waitFor((e) => e.event === 'handshake' && e.successful === true, 'handshake on node A');
    await desktop.waitFor((e) => e.event === 'subscribe' && e.successful === true, 'subscribed on node A');

    balancer.switchTo({ host: '127.0.0.1', port: Number(new URL(nodeB.url).port) });
    const second = await desktop.waitFor((e) => e.event === 'handshake' && e.successful === true && e.clientId !== first.clientId, 'handshake on node B');
    const afterSecond = desktop.events.indexOf(second);
    await desktop.waitFor((e) => e.event === 'subscribe' && e.successful === true && desktop.events.indexOf(e) > afterSecond, 'subscribed on node B');

    // The desktop's session is on node B (a balancer keeps a desktop on one node); its call reaches the client.
    const sim = nodeB.app.get(EmbeddedSimulator).simulator!.sim;
    const dn = uniqueDn();
    const place = await createDesk(nodeA, ccid, dn);
    await runCommand(sim, 'dn', { number: dn });
    await request(nodeB.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'StartContactCenterSession', channels: ['voice'], place }).expect(200);
    const call = (await runCommand(sim, 'call', { from: '+15550303', to: dn })) as { connId: string; callUuid: string };
    await desktop.waitFor((e) => e.event === 'message' && e.data.call.callUuid === call.callUuid, 'the call from node B');
    await runCommand(sim, 'release', { call: call.connId });
    await request(nodeB.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);
  });
});
