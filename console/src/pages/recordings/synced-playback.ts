import { segmentAt, type Segment, type Timeline } from './timeline';

/** How far (seconds) a following element may drift from the call clock before it is moved back by a seek. */
const MAX_DRIFT = 0.2;
/** Smaller drifts are closed by playing the follower 10 % faster or slower (no seek, no stutter). */
const NUDGE_DRIFT = 0.04;
/** Seeks of an element closer than this to where the clock last put it are the clock's own, not the user's. */
const OWN_SEEK = 0.2;

/** What the transport shows. */
export interface PlaybackState {
  /** Seconds on the call's timeline. */
  time: number;
  playing: boolean;
  /** Whether a screen recording covers the current time. */
  screenVisible: boolean;
}

interface Track {
  element: HTMLMediaElement;
  segments: Segment[];
  current?: Segment;
  /** Set before the clock pauses the element itself, so its `pause` event is not taken for the user's. */
  pausingItself: boolean;
  /**
   * Seconds into its file where the clock last moved the element. A seek elsewhere is the user's — even one
   * still in flight when a frame runs, which the drift correction would otherwise undo.
   */
  placedAt?: number;
}

/**
 * Plays voice and screen as one call: one clock in call seconds, each element placed on it. While an element
 * plays its segment it drives the clock (voice first, so the sound never jumps); across a pause in the
 * recording, the wall clock does; media still loading holds it. The other element follows: a small drift is
 * closed by its playback rate, a larger one by a seek. A seek, play or pause made on
 * either element (its own controls, media keys, a script) is applied to both.
 */
export class SyncedPlayback {
  private readonly tracks: Track[];
  private time = 0;
  private playing = false;
  private frame?: number;
  private lastTick?: number;
  private readonly listeners = new Set<(state: PlaybackState) => void>();
  /** The state listeners last heard: a frame that changes nothing (media loading, a held clock) tells nobody. */
  private told?: PlaybackState;
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly timeline: Timeline,
    voice: HTMLMediaElement,
    screen: HTMLMediaElement,
  ) {
    this.tracks = [
      { element: voice, segments: timeline.voice, pausingItself: false },
      { element: screen, segments: timeline.screen, pausingItself: false },
    ];
    for (const track of this.tracks) this.listen(track);
    this.place();
  }

  get state(): PlaybackState {
    return { time: this.time, playing: this.playing, screenVisible: this.tracks[1].current !== undefined };
  }

  subscribe(listener: (state: PlaybackState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  play(): void {
    if (this.playing) return;
    if (this.time >= this.timeline.duration) this.time = 0;
    this.playing = true;
    this.lastTick = undefined;
    this.place();
    this.frame = requestAnimationFrame(this.tick);
    this.emit();
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.place();
    this.emit();
  }

  /** Moves both elements to `time` call seconds. */
  seek(time: number): void {
    this.time = Math.min(Math.max(0, time), this.timeline.duration);
    this.lastTick = undefined;
    this.place(true);
    this.emit();
  }

  dispose(): void {
    this.pause();
    this.detach.forEach((off) => off());
    this.listeners.clear();
  }

  private readonly tick = (now: number): void => {
    const userSeek = this.tracks.find((t) => t.element.seeking && this.isUsersSeek(t));
    if (userSeek) {
      this.adoptSeek(userSeek);
      this.frame = requestAnimationFrame(this.tick);
      return;
    }
    const elapsed = this.lastTick === undefined ? 0 : (now - this.lastTick) / 1000;
    this.lastTick = now;
    const live = this.tracks.filter((t) => t.current && !t.element.ended && !t.element.error);
    const driver = live.find((t) => !t.element.paused && !t.element.seeking && t.element.readyState >= 3);
    // Media still loading or seeking holds the clock (the call waits for it); only where neither track has
    // anything to play — a pause in the recording — does the wall clock move it on.
    const loading = live.some((t) => t.element.seeking || t.element.readyState < 3);
    if (driver?.current) this.time = driver.current.start + driver.element.currentTime;
    else if (!loading) this.time += elapsed;
    if (this.time >= this.timeline.duration) {
      this.time = this.timeline.duration;
      this.pause();
      return;
    }
    this.place(false, driver);
    this.emit();
    this.frame = requestAnimationFrame(this.tick);
  };

  /** Puts each element where the clock says: the right file, the right offset, playing or not. */
  private place(exact = false, driver?: Track): void {
    for (const track of this.tracks) {
      const { element } = track;
      const segment = segmentAt(track.segments, this.time);
      if (segment !== track.current) {
        track.current = segment;
        if (segment && element.getAttribute('src') !== segment.src) element.src = segment.src;
        if (segment) this.moveElement(track, this.time - segment.start);
      }
      if (!segment) {
        this.pauseItself(track);
        continue;
      }
      // A file shorter than its segment waits at its end: seeking past the end would land there again.
      const offset = Math.min(this.time - segment.start, Number.isFinite(element.duration) ? element.duration : Infinity);
      const ahead = element.currentTime - offset;
      const drift = Math.abs(ahead);
      if (element.readyState >= 1 && (drift > MAX_DRIFT || (exact && drift > 0.01))) this.moveElement(track, offset);
      element.playbackRate = track !== driver && this.playing && drift > NUDGE_DRIFT && drift <= MAX_DRIFT ? (ahead > 0 ? 0.9 : 1.1) : 1;
      // An element at the end of its file waits there for the clock to leave its segment (play() would rewind it).
      if (this.playing && element.paused && !element.ended) element.play().catch(() => undefined);
      if (!this.playing) this.pauseItself(track);
    }
  }

  private moveElement(track: Track, offset: number): void {
    track.placedAt = offset;
    track.element.currentTime = offset;
  }

  private isUsersSeek(track: Track): boolean {
    if (!track.current) return false;
    const { duration, currentTime } = track.element;
    const placed = Math.min(track.placedAt ?? this.time - track.current.start, Number.isFinite(duration) ? duration : Infinity);
    return Math.abs(currentTime - placed) > OWN_SEEK;
  }

  /** Moves the call to where the user put this element; the element itself is already there. */
  private adoptSeek(track: Track): void {
    track.placedAt = track.element.currentTime;
    this.seek(track.current!.start + track.element.currentTime);
  }

  private pauseItself(track: Track): void {
    if (track.element.paused) return;
    track.pausingItself = true;
    track.element.pause();
  }

  /** Seeks, plays and pauses that did not come from this clock are the user's: apply them to the call. */
  private listen(track: Track): void {
    const { element } = track;
    const on = (type: string, handler: () => void) => {
      element.addEventListener(type, handler);
      this.detach.push(() => element.removeEventListener(type, handler));
    };
    // Both ends of a seek: a frame may run between the two, and only one of them may still show the user's target.
    const adoptUsersSeek = () => {
      if (this.isUsersSeek(track)) this.adoptSeek(track);
    };
    on('seeking', adoptUsersSeek);
    on('seeked', adoptUsersSeek);
    on('play', () => this.play());
    on('pause', () => {
      if (track.pausingItself || element.ended) {
        track.pausingItself = false;
        return;
      }
      this.pause();
    });
  }

  private emit(): void {
    const state = this.state;
    const told = this.told;
    if (told && told.time === state.time && told.playing === state.playing && told.screenVisible === state.screenVisible) return;
    this.told = state;
    this.listeners.forEach((listener) => listener(state));
  }
}
