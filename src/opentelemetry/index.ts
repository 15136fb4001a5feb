import './peers';
export { registerOpenTelemetryApi, unregisterOpenTelemetryApi } from './register-opentelemetry-api';
