import type { Principal } from '../identity/principal';
import type { PlayLinks } from './recording-view';

/** Who asks, for which contact center, and how the answer's links should look. */
export interface RecordingContext {
  principal: Principal;
  ccid: string;
  /** Client address, for the audit log. */
  from?: string;
  links: PlayLinks;
}
