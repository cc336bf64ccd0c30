import { Global, Module } from '@nestjs/common';
import { ClusterEvents, LocalClusterEvents } from './cluster-events';
import { ClusterRedis } from './cluster-redis';
import { RedisClusterEvents } from './redis-cluster-events';

/**
 * What nodes behind one load balancer share quickly (docs/cluster.md): the Redis link and the change broadcast.
 * Global: identity, contact centers and crypto inject ClusterEvents without importing anything. Without
 * RWS_CLUSTER_REDIS_URL the node runs alone and the broadcast reaches only itself.
 */
@Global()
@Module({
  providers: [
    ClusterRedis,
    {
      provide: ClusterEvents,
      useFactory: (redis: ClusterRedis) => (redis.enabled ? new RedisClusterEvents(redis) : new LocalClusterEvents()),
      inject: [ClusterRedis],
    },
  ],
  exports: [ClusterRedis, ClusterEvents],
})
export class ClusterModule {}
