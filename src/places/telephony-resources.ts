/**
 * A DN (directory number) of the SIP Server, owned by exactly one contact center. RWS talks to one SIP Server
 * (or HA pair), whose DN numbers are unique, so the number alone identifies the DN; `switch` is the switch
 * name desktops send with it (GWS `devices[].switch`).
 */
export interface Dn {
  ccid: string;
  dn: string;
  switch: string;
  createdAt: string;
}

/**
 * A place (GWS: the agent's seat) of one contact center: a name unique in the contact center and the DNs of
 * that contact center it groups; a DN is in at most one place. `agents` lists the user names allowed to work
 * at the place; empty means every agent of the contact center.
 */
export interface Place {
  ccid: string;
  name: string;
  dns: string[];
  agents: string[];
  createdAt: string;
  updatedAt: string;
}

/** The switch name used when an operator does not give one (the simulator's and the examples' name). */
export const DEFAULT_SWITCH = 'SIP_Switch';
