import { Global, Module } from '@nestjs/common';
import { NotificationsRouting } from '../../desktop/notifications-routing';
import { AgentHomes, LocalAgentHomes } from '../../places/agent-homes';
import { ClusterRedis } from '../cluster-redis';
import { AgentTakeover } from './agent-takeover';
import { DesktopForwarding } from './desktop-forwarding';
import { NodePresence } from './node-presence';
import { OtherNodes } from './other-nodes';
import { RedisAgentHomes } from './redis-agent-homes';

/**
 * One home node per agent (docs/cluster.md): where an agent's desktop session lives, the forwarding of its
 * desktop requests there, and the takeover of a dead node's sessions. Global, so that the places module's
 * AgentSessionsService gets AgentHomes without importing anything of the cluster. Without
 * RWS_CLUSTER_REDIS_URL every agent is homed here and nothing runs.
 */
@Global()
@Module({
  providers: [
    { provide: AgentHomes, useFactory: (redis: ClusterRedis) => (redis.enabled ? new RedisAgentHomes(redis) : new LocalAgentHomes()), inject: [ClusterRedis] },
    NodePresence,
    OtherNodes,
    AgentTakeover,
    DesktopForwarding,
    // The desktop's notification gateway hands an upgrade to the agent's home through this port.
    { provide: NotificationsRouting, useExisting: DesktopForwarding },
  ],
  exports: [AgentHomes, DesktopForwarding, NotificationsRouting, OtherNodes],
})
export class AgentHomeModule {}
