import { fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs a load client (`bench/support/<name>.ts`, compiled) in a process of its own, so that neither its event
 * loop nor its garbage collection shares the measured RWS process: sends it `input` over IPC and resolves
 * with its one answer.
 */
export function childJob<Input extends object, Answer>(name: string, input: Input): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'support', `${name}.js`), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.once('message', (answer) => {
      answered = true;
      resolve(answer as Answer);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`${name} exited with ${code} before answering`));
    });
    child.send(input);
  });
}

/** The child side: answers the parent once with what `work` made of its input, then exits. */
export function serveChildJob<Input, Answer>(work: (input: Input) => Promise<Answer>): void {
  process.once('message', (input: Input) => {
    work(input).then(
      (answer) => process.send!(answer, () => process.exit(0)),
      (err: unknown) => process.send!({ error: String(err) }, () => process.exit(1)),
    );
  });
}
