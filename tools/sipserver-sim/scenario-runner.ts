import { readFileSync } from 'node:fs';
import { CommandArgs, runCommand } from './sim-commands';
import type { SimCluster } from './sim-cluster';
import { SimError } from './sim-types';

/** A scenario file: named steps run in order. A step is a command (`op`) with its arguments. */
export interface Scenario {
  name?: string;
  description?: string;
  steps: ScenarioStep[];
}

/** `as` names the call a step creates; later steps refer to it by that name in `call`. */
export type ScenarioStep = { op: string; as?: string; expect?: 'error' } & CommandArgs;

/** One executed step. */
export interface StepResult {
  index: number;
  op: string;
  result?: unknown;
  error?: string;
}

const MAX_STEPS = 10_000;

/** Reads and checks a scenario file. */
export function loadScenario(path: string): Scenario {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
  return checkScenario(parsed);
}

export function checkScenario(value: unknown): Scenario {
  const scenario = value as Scenario;
  if (!scenario || !Array.isArray(scenario.steps) || scenario.steps.length > MAX_STEPS) throw new SimError(`a scenario has a "steps" array (at most ${MAX_STEPS})`);
  scenario.steps.forEach((step, i) => {
    if (!step || typeof step.op !== 'string') throw new SimError(`step ${i} has no "op"`);
  });
  return scenario;
}

/**
 * Runs a scenario's steps in order. Call names given with `as` resolve to ConnIDs in later steps' `call`.
 * A failing step stops the run unless it was marked `"expect": "error"`.
 */
export async function runScenario(sim: SimCluster, scenario: Scenario, onStep?: (r: StepResult) => void): Promise<StepResult[]> {
  const names = new Map<string, string>();
  const results: StepResult[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    const { op, as, expect, ...args } = step;
    if (typeof args.call === 'string' && names.has(args.call)) args.call = names.get(args.call);
    let outcome: StepResult;
    try {
      const result = await runCommand(sim, op, args);
      const connId = (result as { connId?: unknown })?.connId;
      if (as && typeof connId === 'string') names.set(as, connId);
      outcome = { index, op, result };
      if (expect === 'error') throw new SimError(`step ${index} (${op}) was expected to fail`);
    } catch (err) {
      if (err instanceof SimError && err.message.startsWith(`step ${index} `)) throw err;
      outcome = { index, op, error: (err as Error).message };
      if (expect !== 'error') {
        onStep?.(outcome);
        throw new SimError(`step ${index} (${op}) failed: ${(err as Error).message}`);
      }
    }
    results.push(outcome);
    onStep?.(outcome);
  }
  return results;
}
