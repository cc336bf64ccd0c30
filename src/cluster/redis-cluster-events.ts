import { Logger } from '@nestjs/common';
import { ClusterEvents, ClusterEventTopics, ClusterTopic } from './cluster-events';
import { ClusterRedis } from './cluster-redis';

const CHANNEL = 'rws:cluster-events';

interface Envelope {
  node: string;
  topic: ClusterTopic;
  payload: unknown;
}

/**
 * ClusterEvents over Redis pub/sub: one channel, every node subscribed. Pub/sub keeps nothing for a node that is
 * not listening, so each time the subscriber (re)connects the node resyncs: caches are dropped and the
 * revocation list re-reads the store of record.
 */
export class RedisClusterEvents extends ClusterEvents {
  private readonly logger = new Logger('ClusterEvents');
  private connectedBefore = false;

  constructor(private readonly redis: ClusterRedis) {
    super();
    const subscriber = redis.subscriber!;
    subscriber.on('ready', () => {
      void subscriber.subscribe(CHANNEL).catch((err: Error) => this.logger.warn({ msg: 'subscribe failed', error: err.message }));
      if (this.connectedBefore) this.resync();
      this.connectedBefore = true;
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === CHANNEL) this.receive(message);
    });
  }

  protected broadcast<T extends ClusterTopic>(topic: T, payload: ClusterEventTopics[T]): void {
    const envelope: Envelope = { node: this.redis.nodeId, topic, payload };
    const commands = this.redis.commands!;
    if (commands.status !== 'ready') {
      // Redis away: the other nodes resync when they reconnect, and their copies expire by themselves meanwhile.
      this.logger.warn({ msg: 'cluster event not broadcast: redis unavailable', topic });
      return;
    }
    commands.publish(CHANNEL, JSON.stringify(envelope)).catch((err: Error) => this.logger.warn({ msg: 'cluster event not broadcast', topic, error: err.message }));
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.node === this.redis.nodeId) return; // applied locally when published
    try {
      this.deliver(envelope.topic, envelope.payload);
    } catch (err) {
      this.logger.warn({ msg: 'cluster event handler failed', topic: envelope.topic, error: (err as Error).message });
    }
  }
}
