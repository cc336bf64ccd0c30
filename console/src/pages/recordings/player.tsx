import { useCallback, useEffect, useRef, useState } from 'react';
import { mediaFailure } from '../../api/media-error';
import { ErrorMessage } from '../../components/error-message';
import { formatDuration } from '../../components/format';
import { SyncedPlayback, type PlaybackState } from './synced-playback';
import type { Timeline } from './timeline';
import { TimelineBar } from './timeline-bar';

/** Voice and screen of one call on one timeline: the screen video, one transport, the tracks with their pauses. */
export function Player({ timeline }: { timeline: Timeline }) {
  const voice = useRef<HTMLAudioElement>(null);
  const screen = useRef<HTMLVideoElement>(null);
  const [playback, setPlayback] = useState<SyncedPlayback>();
  const [state, setState] = useState<PlaybackState>({ time: 0, playing: false, screenVisible: false });
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!voice.current || !screen.current) return;
    const synced = new SyncedPlayback(timeline, voice.current, screen.current);
    const stop = synced.subscribe(setState);
    // The controller exists only once the elements do; the page renders again to wire the transport to it.
    setPlayback(synced);
    setState(synced.state);
    const elements = [voice.current, screen.current];
    const onError = (event: Event) => {
      const src = (event.target as HTMLMediaElement).getAttribute('src');
      if (src) void mediaFailure(src).then((message) => setFailure(`${event.target === voice.current ? 'Voice' : 'Screen'}: ${message}`));
    };
    elements.forEach((element) => element.addEventListener('error', onError));
    return () => {
      elements.forEach((element) => element.removeEventListener('error', onError));
      stop();
      synced.dispose();
    };
  }, [timeline]);

  // Stable between frames, so the timeline's static parts are not rendered again as the playhead moves.
  const seek = useCallback((time: number) => playback?.seek(time), [playback]);
  const hasScreen = timeline.screen.length > 0;
  return (
    <section className="panel player" aria-label="Playback">
      <div className="screen" hidden={!hasScreen}>
        <video ref={screen} data-testid="screen-media" aria-label="Screen recording" playsInline preload="auto" />
        {!state.screenVisible ? (
          <p className="screen-idle" aria-live="polite">
            No screen recorded at this point of the call.
          </p>
        ) : null}
      </div>
      {!hasScreen ? <p className="hint">This call has no playable screen recording.</p> : null}
      <ErrorMessage message={failure} />
      <audio ref={voice} data-testid="voice-media" aria-label="Voice recording" preload="auto" />
      <div className="transport">
        <button type="button" onClick={() => (state.playing ? playback?.pause() : playback?.play())} disabled={!playback || timeline.duration === 0}>
          {state.playing ? 'Pause' : 'Play'}
        </button>
        <label htmlFor="position" className="visually-hidden">
          Position in the call
        </label>
        <input
          id="position"
          type="range"
          min={0}
          max={timeline.duration}
          step={0.1}
          value={Math.min(state.time, timeline.duration)}
          aria-valuetext={`${formatDuration(state.time)} of ${formatDuration(timeline.duration)}`}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span className="clock" data-testid="call-clock">
          {formatDuration(state.time)} / {formatDuration(timeline.duration)}
        </span>
      </div>
      <TimelineBar timeline={timeline} time={state.time} onSeek={seek} />
    </section>
  );
}
