/**
 * Runs a command's async `main` and sets the process exit code: the code `main` returns, or 2
 * when it throws, printing the error's message (the commands' errors are written for the
 * reader, so no stack).
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
