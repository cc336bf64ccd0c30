import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** This application instance among the nodes of a cluster (a restart is another instance): `host:pid:random`. */
@Injectable()
export class NodeInstance {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
