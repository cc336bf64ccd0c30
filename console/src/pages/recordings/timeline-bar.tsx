import { memo } from 'react';
import { formatDuration } from '../../components/format';
import type { Gap, Segment, Timeline } from './timeline';

const percent = (value: number, total: number) => `${total > 0 ? (value / total) * 100 : 0}%`;

/**
 * The call's tracks drawn to scale: voice files, screen recordings (in order), the recording's pauses as
 * gaps, and the playhead. Clicking a track seeks there; the buttons below do the same from the keyboard.
 */
export function TimelineBar({ timeline, time, onSeek }: { timeline: Timeline; time: number; onSeek(time: number): void }) {
  const seekAt = (event: React.MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    onSeek(((event.clientX - box.left) / box.width) * timeline.duration);
  };
  return (
    <div className="timeline">
      <Track name="Voice" segments={timeline.voice} gaps={timeline.pauses} timeline={timeline} time={time} onClick={seekAt} />
      <Track name="Screen" segments={timeline.screen} gaps={[]} timeline={timeline} time={time} onClick={seekAt} />
      <SegmentJumps timeline={timeline} onSeek={onSeek} />
    </div>
  );
}

/**
 * The keyboard's jumps to each file and the list of pauses: they change with the timeline only, so the
 * playhead moving every frame does not render them again.
 */
const SegmentJumps = memo(function SegmentJumps({ timeline, onSeek }: { timeline: Timeline; onSeek(time: number): void }) {
  return (
    <>
      <ul className="segment-list" aria-label="Jump to">
        {timeline.voice.map((s, i) => (
          <li key={`v${i}`}>
            <button type="button" className="secondary" onClick={() => onSeek(s.start)}>
              Voice {i + 1} at {formatDuration(s.start)}
            </button>
          </li>
        ))}
        {timeline.screen.map((s, i) => (
          <li key={`s${i}`}>
            <button type="button" className="secondary" onClick={() => onSeek(s.start)}>
              Screen {i + 1} at {formatDuration(s.start)}
            </button>
          </li>
        ))}
      </ul>
      {timeline.pauses.length > 0 ? (
        <p className="hint" data-testid="pauses">
          Paused: {timeline.pauses.map((g) => `${formatDuration(g.start)}–${formatDuration(g.end)}`).join(', ')}
        </p>
      ) : null}
    </>
  );
});

interface TrackProps {
  name: string;
  segments: Segment[];
  gaps: Gap[];
  timeline: Timeline;
  time: number;
  onClick(event: React.MouseEvent<HTMLDivElement>): void;
}

function Track({ name, segments, gaps, timeline, time, onClick }: TrackProps) {
  const total = timeline.duration;
  return (
    <div className="track">
      <span className="track-name">{name}</span>
      {/* Mouse seeking only; the range input and the buttons are the keyboard's way. */}
      <div className="track-lane" onClick={onClick} aria-hidden="true" data-testid={`track-${name.toLowerCase()}`}>
        {segments.map((s, i) => (
          <span key={i} className="segment" title={s.label} style={{ left: percent(s.start, total), width: percent(s.end - s.start, total) }} />
        ))}
        {gaps.map((g, i) => (
          <span key={`g${i}`} className="gap" title="Paused" style={{ left: percent(g.start, total), width: percent(g.end - g.start, total) }} />
        ))}
        <span className="playhead" style={{ left: percent(time, total) }} />
      </div>
    </div>
  );
}
