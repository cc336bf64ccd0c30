import { Controller, Delete, Head, HttpCode, Options, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InvalidParameterException, RwsException } from '../../common/errors/rws.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { baseUrlOf } from '../../common/http/base-url';
import { CurrentPrincipal, Public } from '../../identity/auth.decorators';
import type { Principal } from '../../identity/principal';
import { parseUploadMetadata } from './tus-metadata';
import { MAX_UPLOAD_BYTES, TusUploadsService } from './tus-uploads.service';

const TUS_VERSION = '1.0.0';
const BASE = 'api/v2/screen-recordings/uploads';

/**
 * Resumable screen-recording uploads, tus 1.0 core + creation + termination + expiration (api.md §6): an
 * unfinished upload that receives no byte for RWS_UPLOAD_EXPIRY_SECONDS is removed; creation, HEAD and
 * PATCH answers say when in `Upload-Expires`.
 */
@ApiTags('screen-recordings')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller(BASE)
export class TusUploadsController {
  constructor(private readonly uploads: TusUploadsService) {}

  @Options()
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'tus capabilities' })
  capabilities(@Res({ passthrough: true }) res: Response): void {
    res.setHeader('Tus-Resumable', TUS_VERSION);
    res.setHeader('Tus-Version', TUS_VERSION);
    res.setHeader('Tus-Extension', 'creation,termination,expiration');
    res.setHeader('Tus-Max-Size', String(MAX_UPLOAD_BYTES));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an upload (Upload-Length, Upload-Metadata: recordingId, filename, contentType, sha256)' })
  @ApiHeader({ name: 'Upload-Length', required: true })
  @ApiHeader({ name: 'Upload-Metadata', required: true })
  async create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    startTusResponse(req, res);
    const length = parseCount(req.header('Upload-Length'), 'Upload-Length');
    const metadata = parseUploadMetadata(req.header('Upload-Metadata'));
    if (!metadata) throw new InvalidParameterException('Upload-Metadata', 'expected comma-separated "key base64value" pairs');
    const { id, expiresAt } = await this.uploads.create(principal, length, Object.fromEntries(metadata));
    res.setHeader('Location', `${baseUrlOf(req)}/${BASE}/${id}`);
    res.setHeader('Upload-Offset', '0');
    res.setHeader('Upload-Expires', expiresAt.toUTCString());
  }

  @Head(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'The stored offset of an upload' })
  async head(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    startTusResponse(req, res);
    const upload = await this.uploads.head(principal, id);
    res.setHeader('Upload-Offset', String(upload.offset));
    res.setHeader('Upload-Length', String(upload.record.length));
    res.setHeader('Upload-Expires', this.uploads.expiresAt(upload.record).toUTCString());
    res.setHeader('Cache-Control', 'no-store');
  }

  @Patch(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Append bytes at Upload-Offset (Content-Type: application/offset+octet-stream)' })
  async patch(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    startTusResponse(req, res);
    if (req.header('Content-Type') !== 'application/offset+octet-stream') {
      throw new RwsException(ErrorCode.InvalidParameter, 'Content-Type must be application/offset+octet-stream.', {});
    }
    const offset = parseCount(req.header('Upload-Offset'), 'Upload-Offset');
    const result = await this.uploads.patch(principal, id, offset, req);
    res.setHeader('Upload-Offset', String(result.offset));
    if (result.expiresAt) res.setHeader('Upload-Expires', result.expiresAt.toUTCString());
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Abandon an upload' })
  async terminate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    startTusResponse(req, res);
    await this.uploads.terminate(principal, id);
  }
}

/** Every tus answer carries Tus-Resumable; a client speaking another version gets 412. */
function startTusResponse(req: Request, res: Response): void {
  res.setHeader('Tus-Resumable', TUS_VERSION);
  if (req.header('Tus-Resumable') !== TUS_VERSION) {
    res.setHeader('Tus-Version', TUS_VERSION);
    throw new RwsException(ErrorCode.PreconditionFailed, `Tus-Resumable ${TUS_VERSION} is required.`, { headers: { 'Tus-Version': TUS_VERSION } });
  }
}

function parseCount(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d{1,16}$/.test(value)) throw new InvalidParameterException(name, 'a non-negative integer is required');
  return Number(value);
}
