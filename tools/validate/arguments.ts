/** The command line of `npm run validate` (tools/validate/cli.ts). */

/** What the command line asks for. */
interface Options {
  readonly paths: string[];
  /** Run kubeconform too. */
  readonly kubeconform: boolean;
  /** kubeconform `-schema-location` values: local directories or path templates. */
  readonly schemaLocations: string[];
  /** Threads to validate on; chosen from the number of files when absent (see ./threads.ts). */
  readonly threads?: number;
}

/** Parses the arguments, or returns why they are wrong. */
export function parseArguments(args: readonly string[]): Options | string {
  const paths: string[] = [];
  const schemaLocations: string[] = [];
  let kubeconform = false;
  let threads: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--kubeconform') kubeconform = true;
    else if (arg === '--threads') {
      const value = args[++i];
      if (value === undefined || !/^[1-9]\d*$/.test(value))
        return '--threads needs a whole number of at least 1';
      threads = Number(value);
    } else if (arg === '--schema-location') {
      const location = args[++i];
      if (location === undefined) return '--schema-location needs a value';
      schemaLocations.push(location);
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else paths.push(arg);
  }
  const remote = schemaLocations.filter((l) => l === 'default' || /^[a-z][a-z0-9+.-]*:\/\//i.test(l));
  if (remote.length > 0)
    return `--schema-location must be a local directory or path template, not ${remote.join(', ')} (validation never reaches the network)`;
  if (kubeconform && schemaLocations.length === 0)
    return '--kubeconform needs at least one --schema-location (a local directory of JSON schemas); see docs/validation.md';
  if (!kubeconform && schemaLocations.length > 0) return '--schema-location is only used with --kubeconform';
  return { paths, kubeconform, schemaLocations, ...(threads === undefined ? {} : { threads }) };
}
