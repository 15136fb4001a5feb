/** jaeger-client's configuration object, as initTracer() hands it over after validation. */
export interface JaegerClientConfig {
  serviceName?: string;
  disable?: boolean;
  sampler?: Record<string, unknown>;
  reporter?: Record<string, unknown>;
  throttler?: Record<string, unknown>;
}
