import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Certificate } from './certificate';

/** Body of `POST /api/v2/ops/contact-centers/{ccid}/certificates`. */
export class UploadCertificateDto {
  @ApiProperty({ description: 'X.509 certificate, PEM (RSA ≥ 2048 bits)', example: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----' })
  @IsString()
  @MinLength(1)
  @MaxLength(65536)
  certificate!: string;

  @ApiPropertyOptional({ description: 'Its private key, PEM (PKCS#8 or PKCS#1), when RWS\'s crypto service should hold it' })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  privateKey?: string;

  @ApiPropertyOptional({ description: 'Passphrase of an encrypted private key PEM' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  passphrase?: string;

  @ApiPropertyOptional({ description: 'Name shown in settings (default: the subject CN)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  alias?: string;

  @ApiPropertyOptional({ description: 'Activate at once (retires the currently active certificate)' })
  @IsOptional()
  @IsBoolean()
  activate?: boolean;
}

/** Body of `POST …/certificates/{id}`. */
export class CertificateOperationDto {
  @ApiProperty({ enum: ['activate', 'retire'] })
  @IsIn(['activate', 'retire'], { message: "operationName must be 'activate' or 'retire'" })
  operationName!: 'activate' | 'retire';
}

/** A certificate as the ops API shows it (never the private key). */
export class CertificateView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() alias!: string;
  @ApiProperty({ enum: ['inactive', 'active', 'retired', 'deleted'] }) status!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ description: 'Upper-case hex' }) serialNumber!: string;
  @ApiProperty() fingerprint256!: string;
  @ApiProperty() notBefore!: string;
  @ApiProperty() notAfter!: string;
  @ApiProperty() keyBits!: number;
  @ApiProperty({ description: 'Whether RWS holds the private key' }) hasPrivateKey!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() activatedAt?: string;
  @ApiPropertyOptional() retiredAt?: string;
  @ApiPropertyOptional() deletedAt?: string;
  @ApiProperty({ description: 'PEM' }) certificate!: string;

  static of(c: Certificate): CertificateView {
    return {
      id: c.id,
      alias: c.alias,
      status: c.status,
      subject: c.subject,
      issuer: c.issuer,
      serialNumber: c.serialNumber,
      fingerprint256: c.fingerprint256,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      keyBits: c.keyBits,
      hasPrivateKey: c.privateKey !== undefined,
      createdAt: c.createdAt,
      activatedAt: c.activatedAt,
      retiredAt: c.retiredAt,
      deletedAt: c.deletedAt,
      certificate: c.certificatePem,
    };
  }
}

/** `{"statusCode":0,"certificate":{…}}` */
export class CertificateResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: CertificateView }) certificate!: CertificateView;
}

/** `{"statusCode":0,"certificates":[…]}` */
export class CertificateListResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [CertificateView] }) certificates!: CertificateView[];
}

/** One `{name, value}` pair of a settings group. */
export class SettingView {
  @ApiProperty({ example: 'certificate-1' }) name!: string;
  @ApiProperty() value!: string;
}

/** The product's settings-group shape: `{"statusCode":0,"settings":[{name,value}…],"key":"name"}`. */
export class SettingsResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty({ type: [SettingView] }) settings!: SettingView[];
  @ApiProperty({ example: 'name' }) key!: string;
}

/** Body of `POST /api/v2/ops/crypto/master-key`. */
export class MasterKeyOperationDto {
  @ApiProperty({ enum: ['rewrap'] })
  @IsIn(['rewrap'], { message: "operationName must be 'rewrap'" })
  operationName!: 'rewrap';
}

/** Outcome of a master-key re-wrap. */
export class RewrapResponse {
  @ApiProperty({ example: 0 }) statusCode!: number;
  @ApiProperty() rewrapped!: number;
  @ApiProperty() alreadyCurrent!: number;
  @ApiProperty({ description: 'Sealed under a master key this node does not have' }) unavailable!: number;
  @ApiProperty({ description: 'Changed concurrently and left as they are' }) skipped!: number;
}
