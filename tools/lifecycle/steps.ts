/**
 * The lifecycle commands' steps: each is printed before it runs, and `--dry-run` prints them all
 * and runs none. A step runs a program (terraform, helm, kubectl, npm) as a child process with the
 * operator's terminal, or does a piece of work the command implements (waiting for Argo CD,
 * recording an output), described in words for the plan.
 */
import { spawnSync } from 'node:child_process';
import { EXIT } from './exit-codes';

/** A program run as it is. */
export interface CommandStep {
  readonly kind: 'command';
  /** What the step achieves, for the operator. */
  readonly title: string;
  readonly program: string;
  readonly args: readonly string[];
  /** Text given on the program's standard input (Helm values with `--values -`). */
  readonly input?: string;
  /** What the input is, printed instead of it (values can be long). */
  readonly inputDescription?: string;
}

/** Work the command does itself, between programs. */
export interface TaskStep {
  readonly kind: 'task';
  readonly title: string;
  /** What it will do, one line each, for the plan. */
  readonly describe: readonly string[];
  /** Does it; throws a StepError to stop the command with its exit code. */
  readonly run: () => Promise<void>;
}

export type Step = CommandStep | TaskStep;

/** Stops a command at a step with the exit code that says why (exit-codes.ts). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** A command line as a person would type it, quoting what the shell would split. */
export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** The plan: every step numbered, with the command line or the description. */
export function formatPlan(title: string, steps: readonly Step[]): string {
  const lines = [`${title}: ${steps.length} steps`];
  steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.title}`);
    if (step.kind === 'command') {
      lines.push(`   $ ${commandLine(step.program, step.args)}`);
      if (step.inputDescription) lines.push(`     (standard input: ${step.inputDescription})`);
    } else {
      for (const line of step.describe) lines.push(`   - ${line}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** Runs a program with the operator's terminal; throws a StepError when it is missing or fails. */
export function runProgram(program: string, args: readonly string[], input?: string): void {
  const result = spawnSync(program, args, {
    stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
    input,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StepError(
      missing
        ? `${program} is not installed or not on PATH`
        : `${program} could not start: ${result.error.message}`,
      missing ? EXIT.usage : EXIT.failed,
    );
  }
  if (result.status !== 0) {
    throw new StepError(
      `${commandLine(program, args)} exited with ${result.status ?? `signal ${result.signal}`}`,
      EXIT.failed,
    );
  }
}

/** Prints the plan; unless dry, runs the steps in order, printing each; returns the exit code. */
export async function execute(
  title: string,
  steps: readonly Step[],
  options: { readonly dryRun: boolean; readonly log?: (line: string) => void },
): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  log(formatPlan(options.dryRun ? `${title} (dry run: nothing is run)` : title, steps).trimEnd());
  if (options.dryRun) return EXIT.ok;
  for (const [i, step] of steps.entries()) {
    log(`\n[${i + 1}/${steps.length}] ${step.title}`);
    try {
      if (step.kind === 'command') {
        log(`$ ${commandLine(step.program, step.args)}`);
        runProgram(step.program, step.args, step.input);
      } else {
        await step.run();
      }
    } catch (error) {
      const code = error instanceof StepError ? error.exitCode : EXIT.failed;
      console.error(`${title}: step ${i + 1} (${step.title}) failed: ${(error as Error).message}`);
      return code;
    }
  }
  log(`\n${title}: done`);
  return EXIT.ok;
}
