import { DynamicModule, Global, Injectable, Logger, Module, OnModuleInit, Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { HealthRegistry } from '../health/health-registry';
import { MediaEncryption, SegmentEncryption } from '../screen-recordings/media-encryption';
import { CertificateDirectory } from './certificates/certificate-directory';
import { CertificatesController } from './certificates/certificates.controller';
import { CertificatesService } from './certificates/certificates.service';
import { ContactCenterCertificates } from './certificates/contact-center-certificates';
import { ScreenEncryptionStartup } from './certificates/screen-encryption-startup';
import { AuditLogCryptoAuditSink, CryptoAuditSink } from './crypto-audit';
import { CryptoService } from './crypto.service';
import { FileKeyWrapper, InProcessCryptoService } from './in-process-crypto.service';
import { MasterKeyRing } from './keys/master-key-ring';
import { PrivateKeyVault } from './keys/private-key-vault';
import { UnwrappedKeyCache } from './keys/unwrapped-key-cache';
import { MasterKeyController } from './master-key.controller';
import { CryptoMediaEncryption } from './media/crypto-media-encryption';
import { CryptoSegmentEncryption } from './media/crypto-segment-encryption';
import { EncryptedMediaReader } from './media/encrypted-media-reader';
import { RemoteCryptoService } from './remote/remote-crypto.service';

/** Reports the crypto service in readiness: always up in-process; the remote one must answer. */
@Injectable()
class CryptoHealth implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly crypto: CryptoService,
  ) {}
  onModuleInit(): void {
    const crypto = this.crypto;
    this.health.register({ name: 'crypto', check: async () => (crypto instanceof RemoteCryptoService ? crypto.ping() : undefined) });
  }
}

/** The master keys, from configuration or generated once into the data directory (embedded default). */
const masterKeyRingProvider: Provider = {
  provide: MasterKeyRing,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): MasterKeyRing => {
    const { ring, generatedFile } = MasterKeyRing.fromConfig(config);
    const logger = new Logger('Crypto');
    if (generatedFile && config.metadata === 'cassandra') {
      logger.warn({ msg: 'RWS_MASTER_KEY is not set: private keys are sealed under a key kept in this node\'s data directory; other nodes cannot open them', file: generatedFile });
    }
    logger.log({ msg: 'master key ready', masterKeyId: ring.currentKeyId, source: generatedFile ? 'data directory' : 'RWS_MASTER_KEY' });
    return ring;
  },
};

/**
 * Certificates, file-key wrapping and unwrapping (the crypto service: in-process by default, remote with
 * RWS_CRYPTO_URL), media encryption for what RWS stores, and decryption with Range for playback.
 * Global: screen recordings (MediaEncryption) and playback (EncryptedMediaReader) inject without importing it.
 */
@Global()
@Module({})
export class CryptoModule {
  static forConfig(config: AppConfig): DynamicModule {
    // With a remote crypto service this node gets no master key and no private-key vault at all.
    const keyHolding: Provider[] = config.cryptoUrl
      ? [{ provide: CryptoService, useClass: RemoteCryptoService }]
      : [masterKeyRingProvider, PrivateKeyVault, UnwrappedKeyCache, { provide: CryptoService, useClass: InProcessCryptoService }];
    return {
      module: CryptoModule,
      imports: [ContactCentersModule],
      controllers: config.cryptoUrl ? [CertificatesController] : [CertificatesController, MasterKeyController],
      providers: [
        CertificateDirectory,
        FileKeyWrapper,
        CertificatesService,
        ContactCenterCertificates,
        ScreenEncryptionStartup,
        EncryptedMediaReader,
        CryptoHealth,
        ...keyHolding,
        { provide: CryptoAuditSink, useClass: AuditLogCryptoAuditSink },
        { provide: MediaEncryption, useClass: CryptoMediaEncryption },
        { provide: SegmentEncryption, useClass: CryptoSegmentEncryption },
      ],
      exports: [CryptoService, EncryptedMediaReader, MediaEncryption, SegmentEncryption, CertificatesService],
    };
  }
}
