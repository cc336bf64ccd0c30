import { CallType, KvList, PartyRole, PrivateMsgId, UserDataKey } from '../../src/telephony/tlib/tlib-messages';
import { newRecordingId, recordingFileName } from './sim-ids';
import { PrivateServiceOutcome, RecordingOrigin, SimCall, SimErrorCode, SimRecording } from './sim-types';
import type { SwitchDirectory } from './switch-directory';

/** What the engine needs from the call model. */
export interface RecordingHost {
  readonly directory: SwitchDirectory;
  /** Sends EventAttachedDataChanged with the call's UserData to the call's switch parties. */
  announce(call: SimCall): void;
}

/** How GSIP_RECORD values are spelled (real servers have been seen with both). */
export type RecordValueCase = 'upper' | 'capitalized';

const SPELLING: Record<RecordValueCase, Record<'ON' | 'PAUSED' | 'OFF', string>> = {
  upper: { ON: 'ON', PAUSED: 'PAUSED', OFF: 'OFF' },
  capitalized: { ON: 'On', PAUSED: 'Paused', OFF: 'Off' },
};

/**
 * The recording behaviour of SIP Server as the source documents describe it: full-time (DN or Agent Login
 * `record=true`, consult calls with the consult option, trunk groups for the IVR part), selective
 * (TRouteCall `record=destination|disable_destination|source`), dynamic (RequestPrivateService 3013–3016),
 * one session per recorded party, announced through GSIP_REC_FN / GSIP_RECORD / GRECORD_PARTITIONS.
 * A party's session ends when the party leaves; recording of the call goes on while a recorded party remains.
 */
export class RecordingEngine {
  constructor(
    private readonly host: RecordingHost,
    private readonly valueCase: RecordValueCase = 'upper',
  ) {}

  onCallCreated(call: SimCall): void {
    if (call.trunk && this.host.directory.dn(call.trunk)?.record) this.start(call, call.trunk, 'trunk', {});
  }

  /** `dn` became an established party of `call` (answered, joined, transferred in). */
  onEstablished(call: SimCall, dn: string): void {
    const { directory } = this.host;
    if (call.trunk && call.recordings.get(call.trunk)?.origin === 'trunk' && directory.isAgentDn(dn)) {
      // The IVR hands the call to an agent: the trunk group's recording ends.
      this.stop(call, call.trunk, true);
    }
    if (call.suppressed.has(dn) || call.recordings.has(dn)) return;
    if (call.route?.mode === 'destination' && call.route.destination === dn) {
      this.start(call, dn, 'selective', call.route.extensions);
      return;
    }
    if (!call.fullTimeDone.has(dn) && directory.recordsFullTime(dn, call.callType === CallType.Consult)) {
      call.fullTimeDone.add(dn);
      this.start(call, dn, 'fulltime', {});
    }
  }

  /** `dn` left a call that goes on: its session ends and the remaining parties hear OFF. */
  onPartyLeft(call: SimCall, dn: string, announce: boolean): void {
    call.fullTimeDone.delete(dn);
    if (call.recordings.has(dn)) this.stop(call, dn, announce);
  }

  /** The whole call ended: sessions end with it (the parties' EventReleased says so). */
  onCallEnded(call: SimCall): void {
    call.recordings.clear();
  }

  /** TRouteCall `record=disable_destination`: selective recordings stop at once. */
  disableSelective(call: SimCall): void {
    for (const recording of [...call.recordings.values()]) {
      if (recording.origin === 'selective') this.stop(call, recording.dn, true);
    }
  }

  /** TRouteCall `record=source`: the party that sent the call to the routing point is recorded. */
  startSource(call: SimCall, extensions: KvList): void {
    const origin = [...call.parties.values()].find((p) => p.role === PartyRole.Origination);
    if (origin && !call.recordings.has(origin.dn)) this.start(call, origin.dn, 'selective', extensions);
  }

  /**
   * Checks a RequestPrivateService 3013–3016. Refusals are EventError; an accepted request returns the
   * change to apply after the server has sent EventACK (SIP Server acknowledges, then announces).
   */
  privateService(call: SimCall | undefined, thisDn: string, msgId: number, extensions: KvList = {}): PrivateServiceOutcome {
    if (!Object.values(PrivateMsgId).includes(msgId as never)) {
      return refuse(SimErrorCode.Unsupported, `PrivateMsgID ${msgId} is not supported`);
    }
    if (!call) return refuse(SimErrorCode.NoSuchCall, 'Invalid connection ID: no such call');
    if (msgId === PrivateMsgId.RecordStart) {
      const mode = String(extensions.record ?? 'source').toLowerCase();
      const target = mode === 'destination' ? otherParty(call, thisDn) : thisDn;
      const party = target ? call.parties.get(target) : undefined;
      if (!target || !party) return refuse(SimErrorCode.NotAParty, `DN ${thisDn} is not a party on the call`);
      if (party.state !== 'Established' && party.state !== 'Held') return refuse(SimErrorCode.NotAParty, `DN ${target} is not connected`);
      if (call.recordings.has(target)) return refuse(SimErrorCode.AlreadyRecording, `Recording of ${target} is already in progress`);
      return { ok: true, apply: () => this.start(call, target, 'dynamic', extensions) };
    }
    const recording = this.targetOf(call, thisDn, extensions);
    if (!recording) return refuse(SimErrorCode.NotRecording, 'No recording in progress');
    if (msgId === PrivateMsgId.RecordStop) return { ok: true, apply: () => this.stop(call, recording.dn, true) };
    if (msgId === PrivateMsgId.RecordPause) {
      if (recording.state === 'PAUSED') return refuse(SimErrorCode.AlreadyPaused, 'Recording is already paused');
      return { ok: true, apply: () => this.setState(call, recording, 'PAUSED') };
    }
    if (recording.state !== 'PAUSED') return refuse(SimErrorCode.NotPaused, 'Recording is not paused');
    return { ok: true, apply: () => this.setState(call, recording, 'ON') };
  }

  /** Snapshot form of a call's sessions (our `Recordings` attribute). */
  describe(call: SimCall): { DN: string; State: string; FileName: string; Partitions?: string; ID: string }[] {
    return [...call.recordings.values()].map((r) => ({
      DN: r.dn,
      State: this.spell(r.state),
      FileName: r.fileName,
      ...(r.partitions ? { Partitions: r.partitions } : {}),
      ID: r.id,
    }));
  }

  /** The session a stop/pause/resume by `thisDn` controls: its own, the other party's, or the only one. */
  private targetOf(call: SimCall, thisDn: string, extensions: KvList): SimRecording | undefined {
    const own = call.recordings.get(thisDn);
    if (own) return own;
    if (String(extensions.record ?? '').toLowerCase() === 'destination') {
      const other = otherParty(call, thisDn);
      return other ? call.recordings.get(other) : undefined;
    }
    // A requester that is not recorded itself (a supervisor's DN) controls the call's only recording.
    return call.recordings.size === 1 ? [...call.recordings.values()][0] : undefined;
  }

  private start(call: SimCall, dn: string, origin: RecordingOrigin, extensions: KvList): void {
    const partitions = textOf(extensions.partitions) ?? textOf(call.userData[UserDataKey.Partitions]);
    const recording: SimRecording = {
      id: textOf(extensions.id) ?? newRecordingId(),
      dn,
      state: 'ON',
      fileName: recordingFileName(call.callUuid, dn),
      partitions,
      origin,
      extensions,
      startedAt: new Date().toISOString(),
    };
    call.recordings.set(dn, recording);
    this.indicate(call, recording, 'ON');
  }

  private setState(call: SimCall, recording: SimRecording, state: 'ON' | 'PAUSED'): void {
    recording.state = state;
    this.indicate(call, recording, state);
  }

  private stop(call: SimCall, dn: string, announce: boolean): void {
    const recording = call.recordings.get(dn);
    if (!recording) return;
    call.recordings.delete(dn);
    if (announce) this.indicate(call, recording, 'OFF');
  }

  private indicate(call: SimCall, recording: SimRecording, state: 'ON' | 'PAUSED' | 'OFF'): void {
    call.userData[UserDataKey.RecordFileName] = recording.fileName;
    call.userData[UserDataKey.Record] = this.spell(state);
    if (recording.partitions) call.userData[UserDataKey.Partitions] = recording.partitions;
    this.host.announce(call);
  }

  private spell(state: 'ON' | 'PAUSED' | 'OFF'): string {
    return SPELLING[this.valueCase][state];
  }
}

function refuse(errorCode: number, errorMessage: string): PrivateServiceOutcome {
  return { ok: false, errorCode, errorMessage };
}

function otherParty(call: SimCall, dn: string): string | undefined {
  const others = [...call.parties.values()].filter((p) => p.dn !== dn);
  return (others.find((p) => p.state === 'Established') ?? others[0])?.dn;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
}
