import { requirePeers } from '../internal/required-peers';

requirePeers('jaeger-decorators/opentelemetry', ['@opentelemetry/api', '@opentelemetry/context-async-hooks']);
