/**
 * The Grafana Foundation SDK publishes its modules through package `exports`
 * (`@grafana/grafana-foundation-sdk/dashboard`), which the repository's
 * `moduleResolution: node` does not read. These declarations point the type
 * checker at the same files Node loads at run time.
 */
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat';
}
declare module '@grafana/grafana-foundation-sdk/text' {
  export * from '@grafana/grafana-foundation-sdk/dist/text';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries';
}
