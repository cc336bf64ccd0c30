import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import { CurrentPrincipal } from '../../identity/auth.decorators';
import type { Principal } from '../../identity/principal';
import { agentKeyOf } from '../../recorders/recording-signals';
import { asBayeuxBatch, BayeuxMessage, META_CONNECT } from './bayeux-protocol';
import { BayeuxServer } from './bayeux-server';

const MESSAGE_TYPES = ['handshake', 'connect', 'subscribe', 'unsubscribe', 'disconnect'];

/**
 * The long-polling transport of the Bayeux server: `POST /api/v2/notifications` with a batch of messages
 * (CometD clients may append the message type to the path). Authenticated and CSRF-checked like every other
 * endpoint by the global guard. A `/meta/connect` is held until a message for the client or the timeout.
 */
@ApiTags('desktop')
@ApiBasicAuth()
@ApiBearerAuth()
@Controller('api/v2/notifications')
export class BayeuxLongPollingController {
  constructor(private readonly bayeux: BayeuxServer) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'CometD (Bayeux 1.0) long-polling: handshake, connect, subscribe, unsubscribe, disconnect' })
  @ApiBody({ schema: { type: 'array', items: { type: 'object', properties: { channel: { type: 'string', example: '/meta/handshake' } } } } })
  @ApiOkResponse({ description: 'Bayeux answers, with the messages queued for the client' })
  poll(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<BayeuxMessage[]> {
    return this.answer(principal, body, response);
  }

  @Post(':messageType')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same, with the message type appended to the path (CometD `appendMessageTypeToURL`)' })
  @ApiParam({ name: 'messageType', enum: MESSAGE_TYPES })
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  pollTyped(
    @CurrentPrincipal() principal: Principal,
    @Param('messageType') messageType: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BayeuxMessage[]> {
    if (!MESSAGE_TYPES.includes(messageType)) throw new InvalidParameterException('messageType', `expected one of ${MESSAGE_TYPES.join(', ')}`);
    return this.answer(principal, body, response);
  }

  private async answer(principal: Principal, body: unknown, response: Response): Promise<BayeuxMessage[]> {
    const batch = asBayeuxBatch(body);
    if (!batch) throw new InvalidParameterException('body', 'expected a Bayeux message or an array of them');
    const owner = { agentKey: agentKeyOf(principal), userName: principal.userName };
    const closed = new AbortController();
    response.once('close', () => closed.abort());
    const answers: BayeuxMessage[] = [];
    for (const message of batch) answers.push(await this.bayeux.handle(message, { owner, transport: 'long-polling', abort: closed.signal }));
    const clientId = answers.find((a) => a.clientId)?.clientId;
    // Queued messages go before the connect answer, as CometD servers send them.
    const connects = answers.filter((a) => a.channel === META_CONNECT);
    return [...answers.filter((a) => a.channel !== META_CONNECT), ...this.bayeux.drainFor(clientId, owner), ...connects];
  }
}
