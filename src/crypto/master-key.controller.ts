import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpsOnly } from '../identity/auth.decorators';
import { MasterKeyOperationDto, RewrapResponse } from './certificates/certificates.dto';
import { PrivateKeyVault } from './keys/private-key-vault';

/** Master-key rotation: re-seal every private key under the current master key, while serving. */
@ApiTags('crypto')
@ApiBasicAuth()
@OpsOnly()
@Controller('api/v2/ops/crypto/master-key')
export class MasterKeyController {
  constructor(private readonly vault: PrivateKeyVault) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'rewrap: re-seal private keys sealed under an old master key (RWS_MASTER_KEYS_OLD) under RWS_MASTER_KEY' })
  @ApiOkResponse({ type: RewrapResponse })
  async operate(@Body() _body: MasterKeyOperationDto): Promise<RewrapResponse> {
    return { statusCode: 0, ...(await this.vault.rewrapAll()) };
  }
}
