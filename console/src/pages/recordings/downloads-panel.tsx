import type { Timeline } from './timeline';

/** Each media file of the call, saved through the same audited, Range-capable play URLs the player uses. */
export function DownloadsPanel({ timeline }: { timeline: Timeline }) {
  const files = [...timeline.voice.map((s, i) => ({ ...s, name: `Voice ${i + 1}` })), ...timeline.screen.map((s, i) => ({ ...s, name: `Screen ${i + 1}` }))];
  return (
    <section className="panel" aria-labelledby="downloads-title">
      <h2 id="downloads-title">Download</h2>
      {files.length === 0 ? <p className="hint">No playable media.</p> : null}
      <ul>
        {files.map((file) => (
          <li key={file.src}>
            <a href={file.src} download>
              {file.name}
            </a>{' '}
            <span className="hint">{file.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
