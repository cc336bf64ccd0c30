import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, OpsOrService, RequirePermission } from '../../identity/auth.decorators';
import { InsufficientRolesException } from '../../identity/identity.exception';
import type { Principal } from '../../identity/principal';
import { OkResponse } from '../../contact-centers/contact-centers.dto';
import {
  CertificateListResponse,
  CertificateOperationDto,
  CertificateResponse,
  CertificateView,
  SettingsResponse,
  UploadCertificateDto,
} from './certificates.dto';
import { CertificatesService } from './certificates.service';

const BASE = 'api/v2/ops/contact-centers/:ccid';

/**
 * Ops API for a contact center's encryption certificates (api.md §8): the ops account, or users of the
 * contact center with the `manageCertificates` permission; and the screen-recording-encryption settings (§6).
 */
@ApiTags('crypto')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller(BASE)
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Post('certificates')
  @RequirePermission('manageCertificates')
  @HttpCode(200)
  @ApiOperation({ summary: 'Upload a certificate (X.509 PEM, RSA ≥ 2048), optionally with its private key' })
  @ApiOkResponse({ type: CertificateResponse })
  async upload(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Body() body: UploadCertificateDto): Promise<CertificateResponse> {
    requireOwnContactCenter(principal, ccid);
    return { statusCode: 0, certificate: CertificateView.of(await this.certificates.upload(ccid, body)) };
  }

  @Get('certificates')
  @RequirePermission('manageCertificates')
  @ApiOperation({ summary: 'The contact center\'s certificates, oldest first' })
  @ApiOkResponse({ type: CertificateListResponse })
  async list(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string): Promise<CertificateListResponse> {
    requireOwnContactCenter(principal, ccid);
    return { statusCode: 0, certificates: (await this.certificates.list(ccid)).map(CertificateView.of) };
  }

  @Get('certificates/:id')
  @RequirePermission('manageCertificates')
  @ApiOperation({ summary: 'One certificate' })
  @ApiOkResponse({ type: CertificateResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string): Promise<CertificateResponse> {
    requireOwnContactCenter(principal, ccid);
    return { statusCode: 0, certificate: CertificateView.of(await this.certificates.require(ccid, id)) };
  }

  @Post('certificates/:id')
  @RequirePermission('manageCertificates')
  @HttpCode(200)
  @ApiOperation({ summary: 'activate (new media is encrypted for it; the active one is retired) or retire (it keeps decrypting)' })
  @ApiOkResponse({ type: CertificateResponse })
  async operate(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string, @Body() body: CertificateOperationDto): Promise<CertificateResponse> {
    requireOwnContactCenter(principal, ccid);
    const certificate = body.operationName === 'activate' ? await this.certificates.activate(ccid, id) : await this.certificates.retire(ccid, id);
    return { statusCode: 0, certificate: CertificateView.of(certificate) };
  }

  @Delete('certificates/:id')
  @RequirePermission('manageCertificates')
  @ApiOperation({ summary: 'Delete a certificate that is not active, with its private key: media encrypted only for it can no longer be decrypted' })
  @ApiOkResponse({ type: OkResponse })
  async delete(@CurrentPrincipal() principal: Principal, @Param('ccid') ccid: string, @Param('id') id: string): Promise<OkResponse> {
    requireOwnContactCenter(principal, ccid);
    await this.certificates.delete(ccid, id);
    return { statusCode: 0 };
  }

  @Get('settings/screen-recording-encryption')
  @OpsOrService()
  @ApiOperation({ summary: 'The certificate screen recordings are encrypted for, in the product\'s settings shape' })
  @ApiOkResponse({ type: SettingsResponse })
  async screenRecordingEncryption(@Param('ccid') ccid: string): Promise<SettingsResponse> {
    const active = await this.certificates.active(ccid);
    const settings = active
      ? [
          { name: 'certificatealias-1', value: active.alias },
          { name: 'certificate-1', value: active.certificatePem },
        ]
      : [];
    return { statusCode: 0, settings, key: 'name' };
  }
}

/** A permission holds in the holder's own contact center only; the ops account manages every one. */
function requireOwnContactCenter(principal: Principal, ccid: string): void {
  if (principal.kind === 'ops') return;
  if (principal.ccid?.toLowerCase() !== ccid.toLowerCase()) {
    throw new InsufficientRolesException("Certificates can be managed by the operator account or by the contact center's own users.");
  }
}
