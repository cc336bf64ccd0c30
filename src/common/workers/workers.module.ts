import { Global, Module } from '@nestjs/common';
import { StreamJobPool } from './stream-job-pool';

/** Worker threads for CPU-bound stream work (global: media encryption and upload hashing use them). */
@Global()
@Module({ providers: [{ provide: StreamJobPool, useFactory: () => new StreamJobPool() }], exports: [StreamJobPool] })
export class WorkersModule {}
