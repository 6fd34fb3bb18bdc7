/**
 * Imported first by `npm run synth` and `npm run validate`. tsx turns Node's
 * source maps on, and then Node looks for a source map in every module it
 * compiles and keeps the length of each of its lines, the megabytes of
 * JavaScript of cdktf, its providers and cdk8s included: about a tenth of the
 * CPU of `npm run synth`. Without them a stack trace of a crash points into
 * the JavaScript tsx made of the TypeScript; run with
 * `NODE_OPTIONS=--enable-source-maps` to keep them (a command's own errors
 * have no stack trace either way).
 */
const asked = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes(
  '--enable-source-maps',
);
if (!asked) process.setSourceMapsEnabled(false);
