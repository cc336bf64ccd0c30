import type { Me } from '../api/identity';

/** One link of the side navigation. */
export interface NavItem {
  /** Path below /console, e.g. `/recordings`. */
  to: string;
  label: string;
}

/** A titled group of links, shown to the users `visible` admits. */
export interface NavSection {
  title: string;
  items: NavItem[];
  visible(me: Me): boolean;
}

/** The operator pages (contact centers, users, certificates, …) are the ops account's. */
export function isOperator(me: Me): boolean {
  return me.kind === 'ops';
}

/** People who replay calls: every user (the API shows an agent only its own calls) and the ops account. */
export function isReviewer(me: Me): boolean {
  return me.kind === 'user' || me.kind === 'ops';
}
