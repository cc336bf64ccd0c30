import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { AgentStateRequest, AgentStateResult, CallEventSource, CallEventSourceStatus, RecordingControlRequest, RecordingControlResult } from './call-event-source';
import type { DesktopCall } from './call-state/desktop-call';
import type { DnStatus } from './dn-registry';
import { InProcessRecordingEvents } from './recording-events';
import { TelephonyService } from './telephony.service';

class FakeSource extends CallEventSource {
  readonly name = 'fake';
  up = true;
  result: RecordingControlResult = { kind: 'ok' };
  readonly monitored: string[] = [];
  readonly requests: RecordingControlRequest[] = [];
  async start() {}
  async stop() {}
  isUp() {
    return this.up;
  }
  async monitor(dn: string, holder: string): Promise<DnStatus> {
    this.monitored.push(`+${dn}:${holder}`);
    return { dn, state: 'registered', holders: [holder] };
  }
  async unmonitor(dn: string, holder: string) {
    this.monitored.push(`-${dn}:${holder}`);
  }
  callsOf(dn: string): DesktopCall[] {
    return [{ id: `call-of-${dn}` } as DesktopCall];
  }
  recordingsOf() {
    return [];
  }
  async controlRecording(request: RecordingControlRequest) {
    this.requests.push(request);
    return this.result;
  }
  agentResult: AgentStateResult = { kind: 'ok' };
  loggedIn: string | undefined;
  readonly agentRequests: AgentStateRequest[] = [];
  async changeAgentState(request: AgentStateRequest) {
    this.agentRequests.push(request);
    return request.operation === 'Login' ? { kind: 'ok' as const } : this.agentResult;
  }
  agentOn() {
    return this.loggedIn;
  }
  findCallUuid(callId: string) {
    return callId;
  }
  status(): CallEventSourceStatus {
    return { name: this.name, up: this.up, dns: [], calls: 0 };
  }
}

describe('TelephonyService', () => {
  let source: FakeSource;
  let service: TelephonyService;
  beforeEach(() => {
    source = new FakeSource();
    service = new TelephonyService(source, new InProcessRecordingEvents());
  });

  it('monitors the session’s DNs, and only the difference when the devices change', async () => {
    await service.startAgentSession('alice', 'Place_1', [{ dn: '7001' }, { dn: '7002' }]);
    await service.startAgentSession('alice', 'Place_1', [{ dn: '7002' }, { dn: '7003' }]);
    await service.endAgentSession('alice');
    expect(source.monitored).toEqual(['+7001:alice', '+7002:alice', '-7001:alice', '+7002:alice', '+7003:alice', '-7002:alice', '-7003:alice']);
    expect(service.sessionDns('alice')).toEqual([]);
  });

  it('refuses malformed devices with a 400', async () => {
    await expect(service.startAgentSession('a', undefined, [{ dn: 'has space' }])).rejects.toMatchObject({ code: ErrorCode.InvalidParameter });
    await expect(service.startAgentSession('a', undefined, Array.from({ length: 17 }, (_, i) => ({ dn: `${i}` })))).rejects.toMatchObject({
      code: ErrorCode.InvalidParameter,
    });
  });

  it('lists calls, or 503 while the source is down', () => {
    expect(service.listCalls('7001')).toEqual([{ id: 'call-of-7001' }]);
    source.up = false;
    expect(() => service.listCalls('7001')).toThrow(RwsException);
  });

  it.each([
    [{ kind: 'refused', errorCode: 102, errorMessage: 'No recording in progress' }, ErrorCode.Conflict, 'SIP Server refused PauseCallRecording: No recording in progress (ErrorCode 102)'],
    [{ kind: 'link-down' }, ErrorCode.DependencyUnavailable, 'Service temporarily unavailable: SIP Server cannot be reached, retry later.'],
    [{ kind: 'timeout', timeoutMs: 5000 }, ErrorCode.DependencyTimeout, 'SIP Server did not answer PauseCallRecording within 5000 ms.'],
    [{ kind: 'no-call' }, ErrorCode.NotFound, 'Call [U1] cannot be found.'],
  ] as [RecordingControlResult, ErrorCode, string][])('maps %j to %s', async (result, code, message) => {
    source.result = result;
    const error = await service.controlRecording('7001', 'U1', 'PauseCallRecording').catch((e: unknown) => e);
    expect(error).toMatchObject({ code, message });
  });

  it('logs the agent in before Ready only when nobody is logged in on the DN', async () => {
    await service.changeAgentState({ dn: '7001', operation: 'Ready', agentId: 'a1' });
    source.loggedIn = 'a1';
    await service.changeAgentState({ dn: '7001', operation: 'NotReady', agentId: 'a1', workMode: 'AuxWork', reasons: { ReasonCode: 'Lunch' } });
    expect(source.agentRequests).toEqual([
      { dn: '7001', operation: 'Login', agentId: 'a1' },
      { dn: '7001', operation: 'Ready', agentId: 'a1' },
      { dn: '7001', operation: 'NotReady', agentId: 'a1', workMode: 'AuxWork', reasons: { ReasonCode: 'Lunch' } },
    ]);
  });

  it.each([
    [{ kind: 'refused', errorCode: 109, errorMessage: 'No agent is logged in on DN 7001' }, ErrorCode.Conflict, 'SIP Server refused AgentReady: No agent is logged in on DN 7001 (ErrorCode 109)'],
    [{ kind: 'link-down' }, ErrorCode.DependencyUnavailable, 'Service temporarily unavailable: SIP Server cannot be reached, retry later.'],
    [{ kind: 'timeout', timeoutMs: 5000 }, ErrorCode.DependencyTimeout, 'SIP Server did not answer AgentReady within 5000 ms.'],
  ] as [AgentStateResult, ErrorCode, string][])('maps an agent request ending %j to %s', async (result, code, message) => {
    source.loggedIn = 'a1';
    source.agentResult = result;
    const error = await service.changeAgentState({ dn: '7001', operation: 'Ready' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, message });
  });

  it('passes the supervisor as requester and checks the operation name', async () => {
    await service.controlRecording('7001', 'U1', 'StartCallRecording', 'sup1');
    expect(source.requests).toEqual([{ dn: '7001', callUuid: 'U1', operation: 'StartCallRecording', requester: 'sup1' }]);
    await expect(service.controlRecording('7001', 'U1', 'Explode' as never)).rejects.toMatchObject({ code: ErrorCode.InvalidParameter });
  });
});
