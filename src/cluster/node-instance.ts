import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** This process among the nodes of a cluster (a restart is another instance): `host:pid:random`. */
export const NODE_INSTANCE = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
